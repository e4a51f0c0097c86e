/**
 * Never crash (SPEC §2.4, issue 4): a few thousand random and mutated FastCGI
 * streams, junk-filled requests and junk HTTP to the forward-auth listener, from hosts that are
 * no site and with addresses that try to route mail, against the real daemon; afterwards it still
 * answers well-formed requests right and its heap has not grown with the count.
 * The seed is printed; FUZZ_SEED=<seed> replays a run. The full run of 100,000
 * cases is `npx tsx scripts/fuzz.ts`.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runFuzz } from './run-fuzz.js';

const COUNT = 3000;
const seed = process.env['FUZZ_SEED'] === undefined ? randomInt(2 ** 32) : Number(process.env['FUZZ_SEED']);

describe('the daemon under fuzzing', () => {
  it(`survives ${COUNT} junk streams and requests and still answers right`, async () => {
    console.log(`fuzz seed ${seed} (replay: FUZZ_SEED=${seed} npx vitest run test/fuzz)`);
    const report = await runFuzz({ count: COUNT, seed });
    const context = `FUZZ_SEED=${seed}`;
    console.log(
      JSON.stringify({
        ...report,
        findings: [...new Set(report.findings.map((f) => f.replace(/^#\d+: /, '')))],
      }),
    );
    expect(report.cases).toBe(COUNT);
    expect(report.listenerCases).toBeGreaterThan(COUNT / 5);
    // Tagged and upper-case spellings of the owner reach the mailer: the recipient check has work.
    expect(report.mails).toBeGreaterThan(10);
    expect(report.findings, context).toEqual([]);
    expect(report.faultEvents, context).toEqual({});
    expect(report.afterwards, context).toEqual([]);
    expect(report.heapGrowthBytes, context).toBeLessThan(32 * 1024 * 1024);
  });
});
