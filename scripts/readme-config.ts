// Rewrites the configuration tables of README.md from the schema: npx tsx scripts/readme-config.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { configReferenceMarkdown } from '../src/config/reference-markdown.js';

const START = '<!-- config-reference:start -->';
const END = '<!-- config-reference:end -->';
const readme = readFileSync('README.md', 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from === -1 || to === -1) throw new Error('README.md lacks the config-reference markers');
writeFileSync(
  'README.md',
  `${readme.slice(0, from + START.length)}\n${configReferenceMarkdown()}\n${readme.slice(to)}`,
);
