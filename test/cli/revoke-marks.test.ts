import { describe, expect, it } from 'vitest';
import { revokeMarks } from '../../src/cli/revoke-marks.js';

describe('revokeMarks', () => {
  it('blocks only the subjects after -r', () => {
    const tokens = ['-d', 'site.example', 'example.org', '-r', 'boss@example.org'];
    expect(revokeMarks(tokens, ['example.org', 'boss@example.org'])).toEqual([false, true]);
  });

  it('blocks every subject when -r comes first, as the original did', () => {
    expect(revokeMarks(['-r', 'a.example', 'b@c.example'], ['a.example', 'b@c.example'])).toEqual([
      true,
      true,
    ]);
    expect(revokeMarks(['--revoke', '-d', 's.example', 'a.example'], ['a.example'])).toEqual([true]);
  });

  it('skips option values and reads clustered short flags', () => {
    expect(revokeMarks(['-rd', 'site.example', 'x.example'], ['x.example'])).toEqual([true]);
    expect(revokeMarks(['--domain', 'x.example', 'y.example'], ['y.example'])).toEqual([false]);
  });

  it('gives up (undefined) when the tokens do not match the parsed subjects', () => {
    expect(revokeMarks(['--', '-r'], ['-r'])).toBeUndefined();
    expect(revokeMarks(['a.example'], ['b.example'])).toBeUndefined();
  });
});
