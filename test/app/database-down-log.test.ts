import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { databaseDownLog } from '../../src/app/database-down-log.js';

function capture(): { log: pino.Logger; lines: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return {
    log: pino({ level: 'info' }, stream),
    lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('databaseDownLog', () => {
  it('logs the first failure with its error, then one line per 10 s counting the failures between', () => {
    const { log, lines } = capture();
    let now = 0;
    const logDown = databaseDownLog(log, () => now);
    const error = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    logDown({ role: 'authorizer', path: '/a' }, error);
    for (let i = 0; i < 499; i++) {
      now += 10;
      logDown({ role: 'authorizer', path: '/a' }, error);
    }
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ event: 'database-down', role: 'authorizer', path: '/a' });
    expect(lines()[0]).not.toHaveProperty('failedSince');
    expect((lines()[0]!['err'] as { message: string }).message).toBe(error.message);

    now = 10_000;
    logDown({ role: 'responder', path: '/email-link' }, error);
    expect(lines()).toHaveLength(2);
    expect(lines()[1]).toMatchObject({ event: 'database-down', path: '/email-link', failedSince: 499 });
  });
});
