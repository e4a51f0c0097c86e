import { AppError } from '../errors/app-error.js';
import { normalizeAddress } from '../policy/normalize-address.js';

/** An ADDRESS argument in its stored spelling; exit 2 before anything is opened when it is no address. */
export function addressArgument(raw: string): string {
  const normal = normalizeAddress(raw);
  if (!normal.ok) {
    throw new AppError('ADDRESS_INVALID', `not an e-mail address: ${JSON.stringify(raw)} (${normal.reason})`);
  }
  return normal.address;
}
