/**
 * The cheapest FastCGI authorizer node can run, for the benchmark's floor case: reads
 * records until the empty PARAMS record that ends the request, writes a fixed answer
 * (the bytes the real daemon sends for a valid cookie) and closes. What node's own
 * per-connection work costs, without any of ours. Usage: PORT ANSWER-FILE.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const [port, answerFile] = process.argv.slice(2);
const answer = readFileSync(answerFile!);
const PARAMS = 4;

createServer({ noDelay: true }, (socket) => {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let offset = 0;
    while (pending.length - offset >= 8) {
      const content = pending.readUInt16BE(offset + 4);
      const total = 8 + content + pending[offset + 6]!;
      if (pending.length - offset < total) break;
      if (pending[offset + 1] === PARAMS && content === 0) {
        socket.end(answer);
        return;
      }
      offset += total;
    }
    pending = pending.subarray(offset);
  });
}).listen(Number(port), '127.0.0.1', () => console.log('listening'));
// A clean exit on SIGTERM, so that `--cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0));
