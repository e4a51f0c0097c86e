/**
 * CGI variables (RFC 3875 §4.1) as a request brought them. A check reads a dozen of the thirty
 * Apache sends, so a FastCGI request's are read out of its PARAMS bytes only when asked
 * (fastcgi/name-value-pairs.ts, issue 18); a name given twice reads as its last value.
 */
export interface CgiVariables {
  get(name: string): string | undefined;
  /** Each variable whose name starts with `prefix` ('' for all), in the order received. */
  forEachNamed(prefix: string, visit: (name: string, value: string) => void): void;
}

/** Variables held in a plain record, as the HTTP listener writes them. */
export function cgiVariables(record: Readonly<Record<string, string>>): CgiVariables {
  return {
    get: (name) => (Object.hasOwn(record, name) ? record[name] : undefined),
    forEachNamed(prefix, visit) {
      for (const name of Object.keys(record)) if (name.startsWith(prefix)) visit(name, record[name]!);
    },
  };
}
