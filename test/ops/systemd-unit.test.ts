import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const UNIT = fileURLToPath(new URL('../../forgetpw.service', import.meta.url));
const ANALYZE = '/usr/bin/systemd-analyze';

/** `Key=value` lines of the unit by section (comments and blank lines left out). */
async function readUnit(): Promise<Map<string, Array<[string, string]>>> {
  const sections = new Map<string, Array<[string, string]>>();
  let current: Array<[string, string]> = [];
  for (const line of (await readFile(UNIT, 'utf8')).split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line);
    if (header !== null) sections.set(header[1]!, (current = []));
    else if (line.trim() !== '' && !line.startsWith('#')) {
      const eq = line.indexOf('=');
      current.push([line.slice(0, eq), line.slice(eq + 1)]);
    }
  }
  return sections;
}

describe('forgetpw.service', () => {
  it('runs the daemon with the packaged config path, reloads on SIGHUP and restarts on failure only', async () => {
    const service = new Map((await readUnit()).get('Service'));
    expect(service.get('ExecStart')).toBe('/usr/bin/forgetpw -c /etc/forgetpw/forgetpw.yml fcgi');
    expect(service.get('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(service.get('Restart')).toBe('on-failure');
    // Exit 2 is a config/template/migration problem: restarting in a loop cannot fix it.
    expect(service.get('RestartPreventExitStatus')).toBe('2');
  });

  it('is hardened, without the one option node cannot run under', async () => {
    const service = (await readUnit()).get('Service') ?? [];
    const settings = new Map(service);
    for (const [key, value] of Object.entries({
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      NoNewPrivileges: 'yes',
      CapabilityBoundingSet: '',
      RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX',
      SystemCallFilter: '@system-service',
      ReadWritePaths: '-/var/lib/forgetpw',
      User: 'forgetpw',
    })) {
      expect(settings.get(key), key).toBe(value);
    }
    expect(settings.has('MemoryDenyWriteExecute')).toBe(false);
    expect(await readFile(UNIT, 'utf8')).toMatch(/^# Not set: MemoryDenyWriteExecute=yes\. Node's V8 JIT/m);
  });

  it('passes systemd-analyze verify (with ExecStart pointed at an existing program)', async () => {
    // The test host has no /usr/bin/forgetpw; everything else is checked as systemd would.
    expect(existsSync(ANALYZE), `${ANALYZE} is needed to verify the unit`).toBe(true);
    const dir = await mkdtemp(path.join(tmpdir(), 'forgetpw-unit-'));
    try {
      const copy = path.join(dir, 'forgetpw.service');
      await writeFile(copy, (await readFile(UNIT, 'utf8')).replace('/usr/bin/forgetpw ', '/bin/true '));
      const { stderr } = await promisify(execFile)(ANALYZE, ['verify', copy]);
      expect(stderr).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
