import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/**
 * Resolves a command as spawn() would (a name without a slash is looked up in PATH);
 * undefined unless it is an executable file.
 */
export async function findExecutable(
  command: string,
  searchPath = process.env['PATH'] ?? '',
): Promise<string | undefined> {
  const candidates = command.includes('/')
    ? [command]
    : searchPath
        .split(delimiter)
        .filter((folder) => folder !== '')
        .map((folder) => join(folder, command));
  for (const candidate of candidates) {
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
