/**
 * The shell commands of every ```sh block in the Markdown section titled `heading` (up to the
 * next heading of the same or a higher level): one command per line, `\` continuations joined,
 * comment lines and trailing `# comments` dropped. For tests that run a README as written.
 */
export function sectionCommands(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^#+ /.test(l) && l.replace(/^#+ /, '').trim() === heading);
  if (start < 0) throw new Error(`no section "${heading}"`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  const commands: string[] = [];
  let inBlock = false;
  let pending = '';
  for (const line of lines.slice(start + 1)) {
    const fence = /^\s*```(\w*)/.exec(line);
    if (!inBlock && fence === null) {
      const h = /^(#+) /.exec(line);
      if (h !== null && h[1]!.length <= level) break;
      continue;
    }
    if (fence !== null) {
      inBlock = !inBlock && fence[1] === 'sh';
      continue;
    }
    const text = line.replace(/(^|\s)#\s.*$/, '').trim();
    if (text === '') continue;
    if (text.endsWith('\\')) {
      pending += `${text.slice(0, -1)} `;
      continue;
    }
    commands.push(pending + text);
    pending = '';
  }
  return commands;
}
