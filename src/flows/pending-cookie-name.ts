import type { Config } from '../config/config.js';

/**
 * The short-lived cookie that marks the browser which asked for a link, so the
 * same browser can use the link at once (SPEC §2.3).
 */
export function pendingCookieName(config: Config): string {
  return `${config.keys.cookie}_link`;
}
