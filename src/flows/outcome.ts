import type { StateName } from '../templates/states.js';
import type { Vars } from './vars.js';

/**
 * What a flow decided, before it becomes bytes. One variant per kind of answer;
 * `page` names the state (and so the template and status) a person sees.
 */
export type Outcome =
  /** AUTHORIZER 200: let the request through as `principal`. */
  | {
      readonly kind: 'allow';
      readonly principal: string;
      readonly setCookies: readonly string[];
      /** Path-absolute URL Apache's rewrite rule turns into a 307 (link redeemed on GET). */
      readonly redirect?: string;
    }
  /** A page; its status comes from STATES unless overridden. */
  | {
      readonly kind: 'page';
      readonly state: StateName;
      readonly vars: Vars;
      readonly setCookies?: readonly string[];
      /** Seconds, for `throttled`. */
      readonly retryAfter?: number;
    }
  /** RESPONDER 303 (after a POST). */
  | {
      readonly kind: 'see-other';
      readonly location: string;
      readonly setCookies: readonly string[];
      /** A link was consumed (confirmed, opened at the target, or its code typed): a login. */
      readonly redeemed?: true;
      /** Extra response headers (logout's Clear-Site-Data). */
      readonly headers?: readonly (readonly [string, string])[];
    };

export function page(
  state: StateName,
  vars: Vars = {},
  extra: { setCookies?: readonly string[]; retryAfter?: number } = {},
): Outcome {
  return { kind: 'page', state, vars, ...extra };
}
