import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findExecutable } from '../../src/mail/find-executable.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function folderWith(name: string, mode: number): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'forgetpw-path-'));
  folders.push(folder);
  await writeFile(join(folder, name), '#!/bin/sh\n', { mode });
  return folder;
}

describe('findExecutable', () => {
  it('looks a bare name up in the search path', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'forgetpw-path-'));
    folders.push(empty);
    const folder = await folderWith('sendmail', 0o755);
    await expect(findExecutable('sendmail', [empty, folder].join(delimiter))).resolves.toBe(
      join(folder, 'sendmail'),
    );
  });

  it('skips a file of that name that is not executable', async () => {
    const folder = await folderWith('sendmail', 0o644);
    await expect(findExecutable('sendmail', folder)).resolves.toBeUndefined();
  });

  it('does not search for a path with a slash', async () => {
    const folder = await folderWith('sendmail', 0o755);
    await expect(findExecutable('./sendmail', folder)).resolves.toBeUndefined();
  });

  it('refuses a folder', async () => {
    const folder = await folderWith('sendmail', 0o755);
    await expect(findExecutable(folder, '')).resolves.toBeUndefined();
  });
});
