import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../support/temp-folder.js';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load-config.js';
import { renderConfigYaml } from '../../src/config/render-config.js';

const SETTINGS = {
  port: 10191,
  state: { dsn: 'postgres:///fp', expiry: { query: 'PT5M' } },
  keys: { logout: 'yes' },
  email: { from: 'Robot <robot@example.org>', method: 'smtp', options: { host: 'mx.example', port: 587 } },
};

describe('renderConfigYaml', () => {
  it('writes only the settings given', () => {
    expect(parse(renderConfigYaml({ ...SETTINGS, pid: undefined }), { version: '1.1' })).toEqual(SETTINGS);
  });

  it('starts with a comment pointing at the README', () => {
    expect(renderConfigYaml(SETTINGS).split('\n')[0]).toMatch(/^# /);
    expect(renderConfigYaml(SETTINGS)).toContain('README.md');
  });

  it('explains each setting in a comment above it', () => {
    expect(renderConfigYaml({ port: 10191 })).toContain(
      '# TCP port the FastCGI daemon listens on (`fcgi -p`).\nport: 10191',
    );
  });

  it('writes a file loadConfig reads back to the same settings', () => {
    const file = path.join(tempFolder('fp-render-'), 'forgetpw.yml');
    writeFileSync(file, renderConfigYaml(SETTINGS));
    const config = loadConfig(file, { env: {} });
    expect(config).toMatchObject({
      port: 10191,
      state: { dsn: 'postgres:///fp', expiry: { query: 300 } },
      keys: { logout: 'yes' },
      email: {
        from: 'Robot <robot@example.org>',
        method: 'smtp',
        options: { host: 'mx.example', port: 587 },
      },
    });
  });
});
