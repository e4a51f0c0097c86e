import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../support/temp-folder.js';
import { isAppError } from '../../src/errors/app-error.js';
import { loadConfig } from '../../src/config/load-config.js';

const SECRET = 'hunter2-sekrit';

function failureText(yaml: string): { lines: readonly string[]; text: string } {
  const dir = tempFolder('fp-secret-');
  const file = path.join(dir, 'forgetpw.yml');
  writeFileSync(file, yaml);
  try {
    loadConfig(file, { env: {} });
  } catch (error) {
    if (!isAppError(error, 'CONFIG_INVALID')) throw error;
    return { lines: error.details, text: [error.message, ...error.details, String(error.cause)].join('\n') };
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('config error messages', () => {
  it('name misplaced secrets by path without showing them', () => {
    const { lines, text } = failureText(
      [
        'state:',
        `  dsn: ${SECRET}`,
        `  password: [${SECRET}]`,
        'email:',
        '  from: robot@example.org',
        '  method: smtp',
        '  options:',
        `    auth: {user: robot, pass: {value: ${SECRET}}}`,
        `    password: [${SECRET}]`,
      ].join('\n'),
    );
    expect(lines).toEqual([
      'state.dsn: expected a DSN such as sqlite://forgetpw.sqlite or postgres://host/db',
      'state.password: expected a string',
      'email.options.auth.pass: expected a string',
      'email.options.password: expected a string',
    ]);
    expect(text).not.toContain(SECRET);
  });

  it('do not show a secret sitting under a mistyped key', () => {
    const { lines, text } = failureText(`email:\n  from: robot@example.org\nstate:\n  passwort: ${SECRET}\n`);
    expect(lines).toEqual(['state.passwort: unknown key (did you mean "password"?)']);
    expect(text).not.toContain(SECRET);
  });
});
