import type { CgiVariables } from '../../src/http/cgi-variables.js';
import type { FcgiServerOptions } from '../../src/fastcgi/server.js';
import { deferred } from './deferred.js';
import { startServer } from './start-server.js';

/**
 * A server whose handler holds requests marked HOLD=1 until `release`, then
 * answers 200 with `body(params)`; `entered` resolves once a held request arrived.
 */
export async function holdingServer(
  body: (params: CgiVariables) => string,
  options: Partial<FcgiServerOptions> = {},
) {
  const gate = deferred();
  const entered = deferred();
  const { port, server } = await startServer(async ({ params }) => {
    if (params.get('HOLD') === '1') {
      entered.resolve();
      await gate.promise;
    }
    return { status: 200, headers: [], body: Buffer.from(body(params)) };
  }, options);
  return { port, server, entered: entered.promise, release: gate.resolve };
}
