/** The code as the mail shows it, in two groups of four (`K7QM-4XPD`): easier to read and type. */
export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
