import { ENV_VARS } from './env-vars.js';
import { configReference } from './reference.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The README's configuration tables, generated from the schema so they cannot drift. */
export function configReferenceMarkdown(): string {
  const keys = configReference().map(
    (r) => `| \`${r.key}\` | ${r.default === '-' ? '' : `\`${cell(r.default)}\``} | ${cell(r.description)} |`,
  );
  const env = ENV_VARS.map((e) => `| \`${e.name}\` | \`${e.key}\` | ${cell(e.description)} |`);
  return [
    '| key | default | meaning |',
    '| --- | --- | --- |',
    ...keys,
    '',
    'Environment variables override the file (for secrets and the DSN):',
    '',
    '| variable | key | meaning |',
    '| --- | --- | --- |',
    ...env,
  ].join('\n');
}
