/**
 * Loaded into a measured process with `--import` (bench/direct.ts `--survivors`): on SIGUSR2 it
 * starts V8's sampling heap profiler keeping only what outlives a scavenge (promoted to the old
 * generation, or still alive at the end), and on exit writes that profile to FP_SURVIVORS_FILE.
 * Those allocations are what the young generation's collections copy and the old one's marks.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const file = process.env['FP_SURVIVORS_FILE'];
if (file !== undefined) {
  const session = new Session();
  session.connect();
  process.on('SIGUSR2', () => {
    session.post('HeapProfiler.enable');
    // Object literal: node's types for this method predate the two `include...` parameters.
    const parameters: object = {
      samplingInterval: 512,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: false,
    };
    session.post('HeapProfiler.startSampling', parameters);
  });
  // The in-process session answers synchronously, so the profile is written before the process ends.
  process.on('exit', () => {
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (error === null) writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
