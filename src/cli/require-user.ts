import { AppError } from '../errors/app-error.js';
import type { User } from '../policy/user.js';
import type { UserStore } from '../flows/user-store.js';

/** The user of a (normalised) address, or a usage error naming where users come from. */
export async function requireUser(users: UserStore, address: string): Promise<User> {
  const user = await users.byEmail(address);
  if (user === undefined) {
    throw new AppError(
      'USAGE',
      `there is no user ${address}: users are created on their first login (see \`forgetpw users\`)`,
    );
  }
  return user;
}
