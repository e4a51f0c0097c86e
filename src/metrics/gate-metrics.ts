import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Outcome } from '../flows/outcome.js';
import { STATE_NAMES } from '../templates/states.js';

export type Role = 'authorizer' | 'responder';
/** The page state a person saw, or the two answers that are not pages. */
export type OutcomeLabel = (typeof STATE_NAMES)[number] | 'allow' | 'see-other';

/** What the request boundary (app/handle-request.ts) reports; every call is a few map lookups. */
export interface GateMetrics {
  /** Registry to scrape: the counters below plus the default process metrics. */
  readonly registry: Registry;
  /** A request a flow answered (`path` is the request's; labels never take it, see the test). */
  answered(role: Role, path: string, outcome: Outcome, seconds: number): void;
  /** A request that threw: it got `default_500`, or `unavailable` when the database was away. */
  failed(role: Role, databaseDown: boolean, seconds: number): void;
  /** A link mail the transport accepted. */
  linkSent(): void;
}

const ROLES: readonly Role[] = ['authorizer', 'responder'];
const LABELS: readonly OutcomeLabel[] = [...STATE_NAMES, 'allow', 'see-other'];
/** Pages that mean "this person may not in" (SPEC §2.4). */
const DENIALS: ReadonlySet<OutcomeLabel> = new Set(['no_user', 'email_not_listed', 'cross_site']);
/** Most answers take a few ms; a synchronous SMTP send can take seconds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Prometheus metrics of one daemon, in a registry of its own (so several daemons
 * in one process, as in tests, never share counters). Labels only ever take
 * values from the fixed sets above, never from a request, so cardinality is
 * bounded and every child is made once, here, and starts at zero.
 */
export function createGateMetrics(): GateMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counter = (name: string, help: string): Counter =>
    new Counter({ name: `forgetpw_${name}_total`, help, registers });

  const requests = new Counter({
    name: 'forgetpw_requests_total',
    help: 'Requests answered, by FastCGI role and outcome (page state, allow or see-other).',
    labelNames: ['role', 'outcome'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'forgetpw_request_duration_seconds',
    help: 'Time from a complete FastCGI request to its answer, by role.',
    labelNames: ['role'] as const,
    buckets: BUCKETS,
    registers,
  });
  const linksSent = counter('links_sent', 'Login link mails accepted by the mail transport.');
  const redemptions = counter('redemptions', 'Links redeemed: opened in the asking browser or confirmed.');
  const denials = counter('denials', 'Requests refused: address not listed, user disabled, cross-site POST.');
  const throttled = counter('throttled', 'Requests refused by a rate limit.');
  const dbErrors = counter('db_errors', 'Requests that failed because the database was unavailable.');

  // inc(0)/zero() make every series exist from the start, so rate() sees the first request.
  const requestChildren = new Map<string, ReturnType<typeof requests.labels>>();
  for (const role of ROLES) {
    for (const outcome of LABELS) {
      const child = requests.labels(role, outcome);
      child.inc(0);
      requestChildren.set(`${role} ${outcome}`, child);
    }
  }
  const durationChildren = new Map(ROLES.map((role) => [role, duration.labels(role)] as const));
  for (const role of ROLES) duration.zero({ role });

  const count = (role: Role, label: OutcomeLabel, seconds: number): void => {
    requestChildren.get(`${role} ${label}`)?.inc();
    durationChildren.get(role)?.observe(seconds);
    if (label === 'throttled') throttled.inc();
    else if (DENIALS.has(label)) denials.inc();
  };

  return {
    registry,
    answered(role, path, outcome, seconds) {
      switch (outcome.kind) {
        case 'allow':
          // An allow with a redirect is a link consumed on GET (open-link.ts).
          if (outcome.redirect !== undefined) redemptions.inc();
          return count(role, 'allow', seconds);
        case 'see-other':
          // A link confirmed or a code typed; not the 303 after a link request or a logout.
          if (outcome.redeemed === true) redemptions.inc();
          return count(role, 'see-other', seconds);
        case 'page':
          return count(role, outcome.state, seconds);
      }
    },
    failed(role, databaseDown, seconds) {
      if (databaseDown) dbErrors.inc();
      count(role, databaseDown ? 'unavailable' : 'default_500', seconds);
    },
    linkSent: () => linksSent.inc(),
  };
}
