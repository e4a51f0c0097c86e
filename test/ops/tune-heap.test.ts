/** The daemon verbs keep V8's young generation small (issue 5: RSS), unless the operator sized it. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./fixtures/young-generation.ts', import.meta.url));

async function youngGenerationMb(nodeFlags: readonly string[], mode: 'tuned' | 'plain'): Promise<number> {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...nodeFlags, '--import', 'tsx', CHILD, mode],
    { env },
  );
  return Number(stdout.trim());
}

describe('tuneHeapForDaemon', () => {
  it('keeps the young generation at a few MB where V8 alone grows it to 32 MB', async () => {
    expect(await youngGenerationMb([], 'plain')).toBeGreaterThanOrEqual(16);
    expect(await youngGenerationMb([], 'tuned')).toBeLessThanOrEqual(8);
  });

  it("leaves it to the operator's own --max-semi-space-size", async () => {
    expect(await youngGenerationMb(['--max-semi-space-size=16'], 'tuned')).toBeGreaterThanOrEqual(16);
  });
});
