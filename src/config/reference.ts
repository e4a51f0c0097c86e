import { z } from 'zod';
import { MAIL_OPTIONS } from './mail-options.js';
import type { OptionSpec } from './option-map.js';
import { configSchema } from './schema.js';
import { STATE_OPTIONS } from './state-options.js';

export interface ConfigReferenceRow {
  readonly key: string;
  readonly default: string;
  readonly description: string;
}

interface Unwrapped {
  readonly core: z.core.$ZodType;
  readonly defaultValue?: unknown;
  readonly hasDefault: boolean;
}

/** Looks through defaults, optionals and pipes to the schema that says what a key holds. */
function unwrap(schema: z.core.$ZodType): Unwrapped {
  let node = schema;
  let found: { value: unknown } | undefined;
  for (;;) {
    const def = node._zod.def;
    if (def.type === 'default' || def.type === 'prefault') {
      found ??= { value: (def as z.core.$ZodDefaultDef).defaultValue };
      node = (def as z.core.$ZodDefaultDef).innerType;
    } else if (def.type === 'optional') {
      node = (def as z.core.$ZodOptionalDef).innerType;
    } else if (def.type === 'pipe') {
      const pipe = def as z.core.$ZodPipeDef;
      // A preprocess is a pipe from a transform; a later transform is a pipe into one.
      node = pipe.in._zod.def.type === 'transform' ? pipe.out : pipe.in;
    } else {
      return found === undefined
        ? { core: node, hasDefault: false }
        : { core: node, defaultValue: found.value, hasDefault: true };
    }
  }
}

function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function optionRows(
  prefix: string,
  groups: ReadonlyArray<readonly [string, readonly OptionSpec[]]>,
): ConfigReferenceRow[] {
  const rows = new Map<string, { defaults: string[]; meanings: Map<string, string[]> }>();
  for (const [label, specs] of groups) {
    for (const spec of specs) {
      const row = rows.get(spec.name) ?? { defaults: [], meanings: new Map<string, string[]>() };
      const tag = label === '' ? '' : `${label}: `;
      if (spec.fallback !== undefined) row.defaults.push(`${tag}${shown(spec.fallback)}`);
      row.meanings.set(spec.description, [...(row.meanings.get(spec.description) ?? []), label]);
      rows.set(spec.name, row);
    }
  }
  // One line per meaning, tagged with the methods it applies to ("sendmail, file: ...").
  return [...rows].map(([name, row]) => ({
    key: `${prefix}.${name}`,
    default: row.defaults.length === 0 ? '-' : row.defaults.join('; '),
    description: [...row.meanings]
      .map(([text, labels]) => (labels.join('') === '' ? text : `${labels.join(', ')}: ${text}`))
      .join(' '),
  }));
}

const EXTRA_ROWS: Readonly<Record<string, () => ConfigReferenceRow[]>> = {
  'state.options': () => optionRows('state.options', [['', STATE_OPTIONS]]),
  'email.options': () => optionRows('email.options', Object.entries(MAIL_OPTIONS)),
};

function walk(schema: z.core.$ZodType, path: readonly string[], rows: ConfigReferenceRow[]): void {
  const { core, defaultValue, hasDefault } = unwrap(schema);
  const meta = z.globalRegistry.get(schema) as { description?: string; shown?: string } | undefined;
  if (meta?.description === undefined && core._zod.def.type === 'object') {
    for (const [key, child] of Object.entries((core as z.core.$ZodObject)._zod.def.shape)) {
      walk(child, [...path, key], rows);
    }
    return;
  }
  const key = path.join('.');
  rows.push({
    key,
    default: meta?.shown ?? (hasDefault ? shown(defaultValue) : '(required)'),
    description: meta?.description ?? '',
  });
  rows.push(...(EXTRA_ROWS[key]?.() ?? []));
}

/** Every config key with its default and meaning, in schema order, for the README. */
export function configReference(): ConfigReferenceRow[] {
  const rows: ConfigReferenceRow[] = [];
  walk(configSchema, [], rows);
  return rows;
}
