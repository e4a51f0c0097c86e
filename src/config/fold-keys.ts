/**
 * Key folding as the original gem did it (trim, lower-case, `[ _-]` -> `_`), so
 * `Logout-One`, `logout one` and `logout_one` name the same setting. A leading `:`
 * is dropped too: Ruby's YAML.dump writes symbol keys as `:host:`.
 */
export function foldKey(key: string): string {
  return key.trim().replace(/^:/, '').toLowerCase().replace(/[ -]/g, '_');
}

/**
 * Folding for driver option maps (`email.options`, `state.options`): matching ignores
 * case and separators so `require_tls`, `Require-TLS` and `requireTLS` all find
 * nodemailer's `requireTLS`, while the output keeps the driver's spelling.
 */
export function foldOptionKey(key: string): string {
  return foldKey(key).replace(/_/g, '');
}

/** Maps whose keys are handed to a driver and must keep their spelling. */
const RAW_MAPS = new Set(['email.options', 'state.options']);

export interface FoldProblem {
  readonly path: string;
  readonly message: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Folds every key of a parsed YAML tree except inside the driver option maps.
 * Two spellings of one key in the same mapping is a problem, not a silent overwrite.
 */
export function foldKeys(value: unknown, problems: FoldProblem[], path: readonly string[] = []): unknown {
  if (!isPlainObject(value) || RAW_MAPS.has(path.join('.'))) return value;
  const out: Record<string, unknown> = {};
  const spelledAs = new Map<string, string>();
  for (const [key, child] of Object.entries(value)) {
    const folded = foldKey(key);
    const earlier = spelledAs.get(folded);
    if (earlier !== undefined) {
      problems.push({
        path: [...path, folded].join('.'),
        message: `given twice (as "${earlier}" and "${key}")`,
      });
      continue;
    }
    spelledAs.set(folded, key);
    out[folded] = foldKeys(child, problems, [...path, folded]);
  }
  return out;
}
