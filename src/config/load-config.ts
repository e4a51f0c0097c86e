import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { AppError } from '../errors/app-error.js';
import type { Config } from './config.js';
import { applyEnv } from './env-vars.js';
import { foldKeys } from './fold-keys.js';
import type { FoldProblem } from './fold-keys.js';
import { issueMessage } from './issue-message.js';
import { problemLines } from './problem-lines.js';
import { readCaFiles } from './read-ca-files.js';
import { configSchema } from './schema.js';

export { ENV_VARS } from './env-vars.js';

export interface LoadConfigOptions {
  /** Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** A missing file means "no settings" instead of CONFIG_NOT_FOUND. */
  readonly allowMissing?: boolean;
  /** Settings under the file (the original's global flags); paths relative to the config file. */
  readonly base?: Record<string, unknown>;
  /** Settings over everything (command flags); paths relative to the working directory. */
  readonly overrides?: Record<string, unknown>;
}

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The folder relative paths in a config file are resolved against (the DSN's too). */
export function configDir(file: string): string {
  return path.dirname(path.resolve(file));
}

function readYaml(file: string, allowMissing: boolean): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && allowMissing) return {};
    if (code === 'ENOENT') throw new AppError('CONFIG_NOT_FOUND', `${file} not found`, { cause: error });
    throw new AppError('CONFIG_INVALID', `cannot read ${file} (${code ?? 'error'})`, { cause: error });
  }
  // YAML 1.1, as Ruby's Psych reads the original's files (yes/no are booleans there).
  const doc = parseDocument(text, { version: '1.1' });
  const [first] = doc.errors;
  if (first !== undefined) {
    // The message's code excerpt is dropped: the broken line may hold a password.
    const where = (e: typeof first) =>
      `line ${e.linePos?.[0].line ?? '?'}, column ${e.linePos?.[0].col ?? '?'}`;
    const what = (e: typeof first) => e.message.split(/ at line \d+|\n/)[0] ?? e.code;
    throw new AppError('CONFIG_INVALID', `${file} is not valid YAML (${where(first)}: ${what(first)})`, {
      details: doc.errors.map((e) => `${where(e)}: ${what(e)}`),
    });
  }
  return doc.toJS() ?? {};
}

/** `{'state.dsn': x}` from a caller means `{state: {dsn: x}}`. */
function expandDotted(tree: Tree): Tree {
  const out: Tree = {};
  for (const [key, value] of Object.entries(tree)) {
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) node = isTree(node[part]) ? node[part] : (node[part] = {});
    node[parts[parts.length - 1] ?? key] = value;
  }
  return out;
}

/** A YAML key with nothing after it (`pid:`) means "not set". */
function withoutNulls(value: unknown): unknown {
  if (!isTree(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, child]) => child !== null && child !== undefined)
      .map(([key, child]) => [key, withoutNulls(child)]),
  );
}

function merge(under: Tree, over: Tree): Tree {
  const out: Tree = { ...under };
  for (const [key, value] of Object.entries(over)) {
    const existing = out[key];
    out[key] = isTree(existing) && isTree(value) ? merge(existing, value) : value;
  }
  return out;
}

const FILE_KEYS = [['pid'], ['templates', 'path']] as const;

/** Relative file names in one layer, made absolute against that layer's folder. */
function resolvePaths(tree: Tree, dir: string): Tree {
  const out = structuredClone(tree);
  for (const keys of FILE_KEYS) {
    const parent = keys.length === 1 ? out : out[keys[0]];
    const name = keys[keys.length - 1] ?? '';
    if (!isTree(parent)) continue;
    const value = parent[name];
    if (typeof value === 'string' && value.trim() !== '') parent[name] = path.resolve(dir, value);
  }
  // templates.sites: HOST -> FOLDER, each folder relative to this layer's file.
  const templates = out['templates'];
  const sites = isTree(templates) ? templates['sites'] : undefined;
  if (isTree(sites)) {
    for (const [host, folder] of Object.entries(sites)) {
      if (typeof folder === 'string' && folder.trim() !== '') sites[host] = path.resolve(dir, folder);
    }
  }
  return out;
}

/** The file transport's folder and a sendmail path with a folder in it are file names too. */
function resolveMailPath(config: Config, dir: string, _problems: string[]): Config {
  const where = config.email.options['path'];
  if (typeof where !== 'string') return config;
  const isFile =
    config.email.method === 'file' || (config.email.method === 'sendmail' && where.includes('/'));
  if (!isFile) return config;
  const options = { ...config.email.options, path: path.resolve(dir, where) };
  return { ...config, email: { ...config.email, options } };
}

/**
 * templates.mapping values with a folder: relative to templates.path (createPages resolves
 * them there), or without one to the config file; a plain name stays a file of the templates folder.
 */
function resolveMappingPaths(config: Config, dir: string, _problems: string[]): Config {
  const { mapping, path: folder } = config.templates;
  if (folder !== undefined) return config;
  const resolved = Object.fromEntries(
    Object.entries(mapping).map(([state, file]) => [
      state,
      /[/\\]/.test(file) ? path.resolve(dir, file) : file,
    ]),
  );
  return { ...config, templates: { ...config.templates, mapping: resolved } };
}

/** With `transform_on: server` the stylesheet is a file the daemon reads: a path or a file: URL. */
function resolveTransformFile(config: Config, dir: string, problems: string[]): Config {
  const { transform, transform_on: on } = config.templates;
  if (on !== 'server' || transform === undefined) return config;
  let file: string;
  try {
    file = /^file:/i.test(transform) ? fileURLToPath(transform) : path.resolve(dir, transform);
  } catch {
    problems.push('templates.transform: a file: URL must name a file on this machine (file:///path)');
    return config;
  }
  return { ...config, templates: { ...config.templates, transform: file } };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * forgetpw.yml -> the validated, defaulted, frozen Config. Precedence, lowest first:
 * schema defaults, `base`, the file, the environment (ENV_VARS), `overrides`.
 * Every problem is reported at once, as `key.path: what is wrong`, never quoting a
 * secret.
 */
export function loadConfig(file: string, options: LoadConfigOptions = {}): Config {
  const dir = configDir(file);
  const folding: FoldProblem[] = [];
  const layer = (raw: unknown, against: string): Tree => {
    const folded = foldKeys(isTree(raw) ? raw : {}, folding);
    return resolvePaths(withoutNulls(folded) as Tree, against);
  };
  const fromFile = readYaml(file, options.allowMissing ?? false);
  if (!isTree(fromFile)) {
    throw new AppError('CONFIG_INVALID', `${file} has 1 problem`, {
      details: ['(top level): expected a mapping of settings'],
    });
  }
  let tree = merge(layer(expandDotted(options.base ?? {}), dir), layer(fromFile, dir));
  tree = applyEnv(tree, options.env ?? process.env);
  tree = merge(tree, layer(expandDotted(options.overrides ?? {}), process.cwd()));

  const parsed = configSchema.safeParse(tree, { error: issueMessage });
  const problems = problemLines(folding, parsed.error?.issues ?? []);
  if (parsed.success && problems.length === 0) {
    // Files named by the config: resolved against its folder, the CA certificates read.
    const resolved = [resolveMailPath, readCaFiles, resolveTransformFile, resolveMappingPaths].reduce(
      (config, resolve) => resolve(config, dir, problems),
      parsed.data,
    );
    if (problems.length === 0) return deepFreeze(resolved);
  }
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  throw new AppError('CONFIG_INVALID', `${file} has ${count}`, { details: problems });
}
