import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/tokens/hash-secret.js';
import { cliWorkspace, type CliWorkspace } from './cli-workspace.js';

const ANN = 'ann@example.org';

interface Listed {
  id: string;
  label: string;
  address: string;
  site: string;
  state: string;
}

/** init, grant ANN on site.example, and send mail into the folder's mail/ as files. */
async function workspace(): Promise<CliWorkspace> {
  const ws = cliWorkspace();
  await ws.init();
  const file = path.join(ws.dir, 'forgetpw.yml');
  const yaml = readFileSync(file, 'utf8');
  writeFileSync(
    file,
    yaml.replace(
      /^email:\n( {2}.*\n)*/m,
      `email:\n  from: robot@example.org\n  method: file\n  options:\n    path: ${path.join(ws.dir, 'mail')}\n`,
    ),
  );
  expect((await ws.run('privilege', '-d', 'site.example', ANN)).code).toBe(0);
  return ws;
}

describe('forgetpw token', () => {
  let ws: CliWorkspace;
  afterEach(() => ws.cleanup());

  it('mails the reveal link and shows the admin only an id', async () => {
    ws = await workspace();
    const created = await ws.run('token', 'create', ANN, '-d', 'site.example', '--label', 'backup job');
    expect(created.code, created.err.join('\n')).toBe(0);
    expect(created.text).toMatch(
      /^app password [0-9a-f]{12} for ann@example\.org on site\.example: reveal link mailed/,
    );
    expect(created.text).not.toMatch(/[A-Za-z0-9_-]{43}/);
    const mails = readdirSync(path.join(ws.dir, 'mail'));
    expect(mails).toHaveLength(1);
    // Quoted-printable: soft line breaks out, `=3D` back to `=`.
    const mail = readFileSync(path.join(ws.dir, 'mail', mails[0]!), 'utf8')
      .replace(/=\r\n/g, '')
      .replace(/=3D/g, '=');
    expect(mail).toContain('https://site.example/account?reveal=');
    const [listed] = await ws.json<Listed[]>('token', 'list', ANN, '--json');
    expect(listed).toMatchObject({
      label: 'backup job',
      address: ANN,
      site: 'site.example',
      state: 'waiting',
    });
  });

  it('prints the secret with --print, stored only as its hash and usable as an API token', async () => {
    ws = await workspace();
    const created = await ws.run('token', 'create', ANN, '-d', 'site.example', '--print', '--expires', 'P7D');
    expect(created.code, created.err.join('\n')).toBe(0);
    const secret = created.out[created.out.length - 1]!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const view = await ws.withStore((store) => store.tokens.session(hashSecret(secret)));
    expect(view?.token.kind).toBe('api');
    expect(view!.token.expiresAt - view!.token.createdAt).toBeLessThanOrEqual(7 * 86_400_000);
    const dump = readFileSync(path.join(ws.dir, 'forgetpw.db')).toString('latin1');
    expect(dump).not.toContain(secret);
    const sessions = await ws.json<Array<{ kind: string }>>('sessions', ANN, '--json');
    expect(sessions.map((s) => s.kind)).toContain('api');
  });

  it('revokes by id, and logout --api ends app passwords too', async () => {
    ws = await workspace();
    const one = await ws.run('token', 'create', ANN, '-d', 'site.example', '--print');
    await ws.run('token', 'create', ANN, '-d', 'site.example', '--label', 'pending one');
    const listed = await ws.json<Listed[]>('token', 'list', '--json');
    expect(listed).toHaveLength(2);
    const active = listed.find((p) => p.state === 'active')!;
    const revoked = await ws.run('token', 'revoke', active.id);
    expect(revoked.code, revoked.err.join('\n')).toBe(0);
    const secret = one.out[one.out.length - 1]!;
    const view = await ws.withStore((store) => store.tokens.session(hashSecret(secret)));
    expect(view?.token.revokedAt).not.toBeNull();
    expect((await ws.run('token', 'revoke', active.id)).code).not.toBe(0);

    expect((await ws.run('logout', ANN, '--api')).code).toBe(0);
    expect(await ws.json<Listed[]>('token', 'list', '--json')).toEqual([]);
  });

  it('refuses a site the person may not use, a bad label and a bad lifetime', async () => {
    ws = await workspace();
    expect((await ws.run('token', 'create', ANN, '-d', 'other.example', '--print')).code).not.toBe(0);
    expect(
      (await ws.run('token', 'create', ANN, '-d', 'site.example', '--label', '<b>', '--print')).code,
    ).not.toBe(0);
    expect(
      (await ws.run('token', 'create', ANN, '-d', 'site.example', '--expires', 'soon', '--print')).code,
    ).not.toBe(0);
    expect(await ws.json<Listed[]>('token', 'list', '--json')).toEqual([]);
  });
});
