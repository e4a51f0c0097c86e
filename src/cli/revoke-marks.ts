/**
 * `privilege` reads `-r` in place: it blocks the subjects that follow it, so
 * `privilege -d site.example example.org -r boss@example.org` grants the
 * domain and blocks one address (the original applied -r to all of them,
 * which is still what `privilege -r a b` does). Returns, for the subjects in
 * order, whether each is blocked; undefined when the tokens cannot be read
 * that way (then -r applies to all).
 */
export function revokeMarks(tokens: readonly string[], subjects: readonly string[]): boolean[] | undefined {
  const marks: boolean[] = [];
  const found: string[] = [];
  let revoke = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '--') return undefined;
    if (token === '-d' || token === '--domain' || token === '-c' || token === '--config') {
      i++;
      continue;
    }
    if (token.startsWith('--')) {
      if (token === '--revoke') revoke = true;
      continue;
    }
    if (token.startsWith('-') && token.length > 1) {
      if (/^-[a-z]*r/.test(token)) revoke = true;
      // `-dsite.example` carries its value; `-ld` takes the next token as the domain.
      if (/^-[a-z]*d$/.test(token)) i++;
      continue;
    }
    found.push(token);
    marks.push(revoke);
  }
  if (found.length !== subjects.length || found.some((s, i) => s !== subjects[i])) return undefined;
  return marks;
}
