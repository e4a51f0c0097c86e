import { readdir, readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { encodeRecord } from '../../src/fastcgi/encode-record.js';
import { RecordType, Role } from '../../src/fastcgi/protocol.js';
import { spawnCli } from '../ops/cli-process.js';
import { makeDaemonFolder } from '../ops/daemon-folder.js';
import { beginRequest, encodeRequest, RawFcgiConnection } from '../support/fcgi-client.js';
import { gateClient } from '../support/gate-client.js';

/*
 * The built daemon (`forgetpw fcgi`, its own process) against peers that try to take it down.
 * After each attack a normal request is answered well within a second, and the daemon's
 * resident memory stays within a bound of what it was before.
 */

const SITE = 'site.example';
const RSS_GROWTH_LIMIT = 64 * 1024 * 1024;

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error('no VmRSS');
  return Number(kb) * 1024;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function startDaemon() {
  const folder = await makeDaemonFolder({
    settings: { fastcgi: { request_timeout: 1, idle_timeout: 2, max_connections: 64 } },
    acl: [{ domain: SITE, address: 'example.org', allow: true }],
  });
  const daemon = spawnCli(['-c', folder.config, 'fcgi'], folder.dir);
  onTestFinished(async () => {
    await daemon.kill();
    await folder.cleanup();
  });
  await daemon.logged('listening');
  const gate = gateClient(folder.port);
  // Warm up, so the baseline includes what any traffic costs.
  for (let i = 0; i < 100; i++) await gate.authorize('/');
  const baseline = await rssOf(daemon.pid);
  return {
    folder,
    gate,
    port: folder.port,
    /** A normal request is answered, within 1 s, and the daemon's RSS is bounded. */
    async stillServes(): Promise<void> {
      const started = performance.now();
      const answer = await gate.authorize('/');
      expect(answer.status).toBe(401);
      expect(answer.body).toContain('<form');
      expect(performance.now() - started).toBeLessThan(1000);
      expect((await rssOf(daemon.pid)) - baseline).toBeLessThan(RSS_GROWTH_LIMIT);
    },
  };
}

async function openSocket(port: number): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1' });
  onTestFinished(() => {
    socket.destroy();
  });
  socket.on('error', () => undefined);
  await new Promise((r) => socket.once('connect', r));
  return socket;
}

describe('the daemon, against hostile FastCGI peers', () => {
  it('keeps its memory when a peer sends 20,000 requests and reads no answer', async () => {
    const d = await startDaemon();
    const socket = await openSocket(d.port);
    socket.pause();
    // Each asks for the 401 page (several KiB): 20,000 of them would be ~100 MB of answers.
    for (let batch = 0; batch < 625; batch++) {
      const requests = Array.from({ length: 32 }, (_, i) =>
        encodeRequest({
          role: 'authorizer',
          params: { HTTP_HOST: SITE, REQUEST_URI: '/', REMOTE_ADDR: '192.0.2.7' },
          requestId: ((batch * 32 + i) % 65_000) + 1,
          keepConn: true,
        }),
      );
      socket.write(Buffer.concat(requests));
      await sleep(2);
    }
    await sleep(500);
    await d.stillServes();
  });

  it('closes 50 peers that trickle a request byte by byte, by the request deadline', async () => {
    const d = await startDaemon();
    const peers = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const peer = await RawFcgiConnection.open(d.port);
        onTestFinished(() => peer.destroy());
        peer.send(beginRequest(1, Role.Authorizer));
        return peer;
      }),
    );
    const params = encodeRecord(RecordType.Params, 1, Buffer.alloc(100, 0x41));
    const started = performance.now();
    for (let i = 0; i < params.length && peers.some((p) => !p.isClosed); i++) {
      for (const peer of peers) if (!peer.isClosed) peer.send(params.subarray(i, i + 1));
      await sleep(100);
    }
    for (const peer of peers) await peer.waitClosed(1000);
    expect(performance.now() - started).toBeLessThan(3000);
    await d.stillServes();
  });

  it('closes connections over fastcgi.max_connections at once, and serves when the holders time out', async () => {
    const d = await startDaemon();
    const holders = await Promise.all(Array.from({ length: 64 }, () => RawFcgiConnection.open(d.port)));
    for (const holder of holders) onTestFinished(() => holder.destroy());
    await sleep(100);
    const over = await Promise.all(Array.from({ length: 20 }, () => RawFcgiConnection.open(d.port)));
    const started = performance.now();
    for (const peer of over) await peer.waitClosed(1000);
    expect(performance.now() - started).toBeLessThan(1000);
    // fastcgi.idle_timeout (2 s) frees the slots the silent holders took.
    for (const holder of holders) await holder.waitClosed(4000);
    await sleep(50);
    await d.stillServes();
  });

  it('answers a 1 MB form POST with the 413 page at once, and sends no mail', async () => {
    const d = await startDaemon();
    const started = performance.now();
    const answer = await d.gate.post('/email-link', {
      email: 'ann@example.org',
      forward: `http://${SITE}/`,
      pad: 'x'.repeat(1024 * 1024),
    });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(answer.status).toBe(413);
    expect(answer.body).toContain('That Form Was Too Large');
    expect(answer.body).toContain('name="email"');
    const mail = await readdir(path.join(d.folder.dir, 'mail')).catch(() => []);
    expect(mail).toEqual([]);
    // A form of the usual size still works.
    const normal = await d.gate.post('/email-link', { email: 'ann@example.org', forward: `http://${SITE}/` });
    expect(normal.status).toBe(303);
    await d.stillServes();
  });
});
