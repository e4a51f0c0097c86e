import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Clock, Mailer, Pages, Random, Store } from './ports.js';

/** What every flow receives; built once by app/ wiring. */
export interface FlowDeps {
  readonly config: Config;
  readonly store: Store;
  readonly mailer: Mailer;
  readonly pages: Pages;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  /** Runs work after the answer went out; the daemon waits for it before it stops. */
  readonly defer: (work: () => Promise<void>) => void;
}
