/**
 * Every page a person can see (SPEC §2.4), its default template file (names kept
 * from the original gem so overrides keep working) and its status.
 */
export const STATES = {
  default_401: { file: 'basic-401.xhtml', status: 401 },
  default_404: { file: 'basic-404.xhtml', status: 404 },
  default_409: { file: 'basic-409.xhtml', status: 409 },
  default_500: { file: 'basic-500.xhtml', status: 500 },
  knock_bad: { file: 'link-409.xhtml', status: 409 },
  knock_not_found: { file: 'link-403.xhtml', status: 403 },
  knock_expired: { file: 'nonce-expired.xhtml', status: 401 },
  knock_confirm: { file: 'knock-confirm.xhtml', status: 401 },
  // A link an admin made (`forgetpw mint`): nobody asked for it in a browser, so no "other browser" words.
  knock_invite: { file: 'knock-invite.xhtml', status: 401 },
  cookie_bad: { file: 'basic-409.xhtml', status: 409 },
  cookie_not_found: { file: 'cookie-expired.xhtml', status: 401 },
  cookie_expired: { file: 'cookie-expired.xhtml', status: 401 },
  no_user: { file: 'access-ended.xhtml', status: 403 },
  forward_bad: { file: 'uri-409.xhtml', status: 409 },
  email: { file: 'email.xhtml', status: 200 },
  email_bad: { file: 'email-409.xhtml', status: 409 },
  email_not_listed: { file: 'not-on-list.xhtml', status: 403 },
  email_failed: { file: 'email-500.xhtml', status: 500 },
  email_sent: { file: 'email-sent.xhtml', status: 200 },
  // The mailed one-time code (SPEC §11): wrong, ended by wrong tries, typed where nobody asked.
  code_wrong: { file: 'code-wrong.xhtml', status: 401 },
  code_ended: { file: 'code-ended.xhtml', status: 403 },
  code_none: { file: 'code-none.xhtml', status: 401 },
  post_only: { file: 'post-405.xhtml', status: 405 },
  body_too_large: { file: 'body-413.xhtml', status: 413 },
  cross_site: { file: 'basic-409.xhtml', status: 403 },
  throttled: { file: 'throttled.xhtml', status: 429 },
  unavailable: { file: 'basic-503.xhtml', status: 503 },
  site_unknown: { file: 'site-421.xhtml', status: 421 },
  // App passwords and the account page (SPEC §10).
  account: { file: 'account.xhtml', status: 200 },
  account_bad: { file: 'account-409.xhtml', status: 409 },
  app_password_not_found: { file: 'account-409.xhtml', status: 404 },
  app_password_sent: { file: 'app-password-sent.xhtml', status: 200 },
  reveal_email: { file: 'reveal-email.xhtml', status: 200 },
  reveal_confirm: { file: 'reveal-confirm.xhtml', status: 200 },
  revealed: { file: 'app-password.xhtml', status: 200 },
  reveal_used: { file: 'reveal-used.xhtml', status: 410 },
  reveal_expired: { file: 'reveal-expired.xhtml', status: 410 },
  reveal_bad: { file: 'account-409.xhtml', status: 409 },
  reveal_not_found: { file: 'account-409.xhtml', status: 404 },
} as const satisfies Record<string, { file: string; status: number }>;

export type StateName = keyof typeof STATES;

export const STATE_NAMES = Object.keys(STATES) as StateName[];

/** Static pages written by `extract --static` (served by Apache, not the daemon). */
export const STATIC_PAGES = ['logged-out.xhtml', 'logged-out-all.xhtml'] as const;

/** Apache type maps beside them: mod_negotiation picks each page's language (apache-example.conf). */
export const STATIC_TYPE_MAPS = ['logged-out.var', 'logged-out-all.var'] as const;
