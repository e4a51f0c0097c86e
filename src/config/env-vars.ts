import { foldOptionKey } from './fold-keys.js';

export interface EnvVar {
  readonly name: string;
  /** The config key it sets. */
  readonly key: string;
  readonly description: string;
}

interface EnvBinding extends EnvVar {
  readonly path: readonly string[];
  /** Mail gem aliases in `email.options` that set the same option and must give way. */
  readonly replaces?: readonly string[];
}

const BINDINGS: readonly EnvBinding[] = [
  { name: 'FORGETPW_DSN', key: 'state.dsn', path: ['state', 'dsn'], description: 'Database DSN.' },
  { name: 'FORGETPW_DB_USER', key: 'state.user', path: ['state', 'user'], description: 'Database user.' },
  {
    name: 'FORGETPW_DB_PASSWORD',
    key: 'state.password',
    path: ['state', 'password'],
    description: 'Database password.',
  },
  {
    name: 'FORGETPW_SMTP_USER',
    key: 'email.options.auth.user',
    path: ['email', 'options', 'auth', 'user'],
    replaces: ['user_name'],
    description: 'SMTP login (method smtp).',
  },
  {
    name: 'FORGETPW_SMTP_PASSWORD',
    key: 'email.options.auth.pass',
    path: ['email', 'options', 'auth', 'pass'],
    replaces: ['password'],
    description: 'SMTP password (method smtp).',
  },
  {
    name: 'FORGETPW_EMAIL_FROM',
    key: 'email.from',
    path: ['email', 'from'],
    description: 'Sender of the mails.',
  },
  { name: 'FORGETPW_LOG_LEVEL', key: 'log.level', path: ['log', 'level'], description: 'Log level.' },
];

/**
 * Environment variables that override the config file (and are overridden by
 * command-line flags), so secrets and the DSN need not be written in forgetpw.yml.
 * An empty variable counts as unset.
 */
export const ENV_VARS: readonly EnvVar[] = BINDINGS.map(({ name, key, description }) => ({
  name,
  key,
  description,
}));

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key of `tree` spelled like `name` (keys in option maps keep the admin's spelling). */
function keyFor(tree: Tree, name: string): string {
  return Object.keys(tree).find((key) => foldOptionKey(key) === foldOptionKey(name)) ?? name;
}

/** A copy of the folded config tree with the environment's settings written in. */
export function applyEnv(tree: Tree, env: NodeJS.ProcessEnv): Tree {
  const out = structuredClone(tree);
  for (const binding of BINDINGS) {
    const value = env[binding.name];
    if (value === undefined || value === '') continue;
    let node = out;
    const parents = binding.path.slice(0, -1);
    for (const [i, name] of parents.entries()) {
      const key = keyFor(node, name);
      const child = node[key];
      if (i === parents.length - 1) {
        for (const alias of binding.replaces ?? []) delete node[keyFor(node, alias)];
      }
      node = node[key] = isTree(child) ? child : {};
    }
    node[keyFor(node, binding.path[binding.path.length - 1] ?? '')] = value;
  }
  return out;
}
