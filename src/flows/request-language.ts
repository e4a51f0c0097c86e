import type { Config } from '../config/config.js';
import type { GateRequest } from '../http/gate-request.js';
import { negotiateLanguage } from '../http/negotiate-language.js';

/**
 * The language of everything this request shows (page, mail, the wording of times
 * and durations): the browser's Accept-Language among templates.languages. Pure, so the
 * flow that words a page and present() that renders it arrive at the same one.
 */
export function requestLanguage(
  config: Pick<Config, 'templates'>,
  req: Pick<GateRequest, 'headers'>,
): string {
  return negotiateLanguage(req.headers['accept-language'] ?? '', config.templates.languages);
}
