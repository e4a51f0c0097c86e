import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Clock } from '../tokens/clock.js';
import type { Mailer } from './mailer.js';
import type { Pages } from './pages.js';
import type { Random } from '../tokens/random.js';
import type { Store } from './store.js';

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
