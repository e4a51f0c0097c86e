import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReferenceMarkdown } from '../../src/config/reference-markdown.js';
import { VERBS } from '../../src/cli/verbs.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('holds the configuration tables generated from the schema (run scripts/readme-config.ts)', () => {
    const start = readme.indexOf('<!-- config-reference:start -->');
    const end = readme.indexOf('<!-- config-reference:end -->');
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start, end)).toContain(configReferenceMarkdown());
  });

  it('names only verbs the CLI has', () => {
    const verbs = new Set(VERBS.map((v) => v.name));
    const used = [...readme.matchAll(/forgetpw (?:-c \S+ )?([a-z]+)/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(5);
    for (const verb of used) expect(verbs, verb).toContain(verb);
  });
});
