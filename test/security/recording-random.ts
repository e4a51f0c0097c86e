import { randomBytes } from 'node:crypto';
import type { Random } from '../../src/tokens/random.js';

/**
 * The system CSPRNG, remembering every secret it handed out (as base64url, the
 * form newSecret gives them), so a test can look for each one where it must not be.
 */
export function recordingRandom(): { random: Random; secrets: () => readonly string[] } {
  const drawn: string[] = [];
  return {
    random: {
      bytes(size) {
        const bytes = randomBytes(size);
        drawn.push(bytes.toString('base64url'));
        return bytes;
      },
    },
    secrets: () => drawn,
  };
}
