import { afterEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cli/verbs.js';
import { cliWorkspace, type CliWorkspace } from './cli-workspace.js';

const silentIo = { out: () => undefined, err: () => undefined, env: {}, cwd: '/' };
const verbs = await Promise.all(
  VERBS.map(async (v) => {
    const command = (await v.load())(silentIo);
    return {
      verb: command.name(),
      summary: v.summary,
      description: command.description(),
      flags: command.options.map((option) => option.long ?? option.flags),
    };
  }),
);

/** The admin verbs of issue 6 and the options they promise. */
const PROMISED: Record<string, string[]> = {
  users: ['--json'],
  disable: [],
  enable: [],
  sessions: ['--json'],
  logout: ['--api'],
  mint: ['--expiry', '--force', '--json'],
  check: ['--json'],
  migrate: [],
  audit: ['--since', '--address', '--site', '--limit', '--json'],
  init: ['--dsn', '--from', '--force'],
  privilege: ['--domain', '--revoke', '--list', '--json'],
  fcgi: ['--listen', '--port', '--detach', '--pid'],
  extract: ['--static', '--force'],
};

describe('forgetpw --help', () => {
  let ws: CliWorkspace | undefined;
  afterEach(() => {
    ws?.cleanup();
    ws = undefined;
  });

  it.each(verbs)(
    'lists `$verb` in the top-level help with its own description',
    ({ summary, description }) => {
      expect(summary).toBe(description);
    },
  );

  it('offers every promised verb', () => {
    expect(verbs.map((v) => v.verb)).toEqual(expect.arrayContaining(Object.keys(PROMISED)));
  });

  it.each(verbs)('explains `$verb` and names each of its options, exit 0', async ({ verb, flags }) => {
    ws = cliWorkspace();
    const result = await ws.run(verb, '--help');
    expect(result.code).toBe(0);
    expect(result.text).toContain(`Usage: forgetpw ${verb}`);
    for (const flag of [...flags, ...(PROMISED[verb] ?? [])]) expect(result.text).toContain(flag);
  });

  it('lists the verbs at the top level, exit 0', async () => {
    ws = cliWorkspace();
    const result = await ws.run('--help');
    expect(result.code).toBe(0);
    for (const verb of Object.keys(PROMISED)) expect(result.text).toMatch(new RegExp(`^  ${verb}\\b`, 'm'));
  });

  it('refuses an unknown verb with exit 2', async () => {
    ws = cliWorkspace();
    const result = await ws.run('frobnicate');
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toContain("unknown command 'frobnicate'");
  });

  it('refuses an unknown option with exit 2', async () => {
    ws = cliWorkspace();
    const result = await ws.run('users', '--colour');
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toContain("unknown option '--colour'");
  });
});
