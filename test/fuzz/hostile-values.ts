/**
 * Hosts that are no site and addresses that try to route mail elsewhere (issue 10), built around
 * the fuzzed site and its one granted owner so that each is one character away from being let in.
 */
export function hostileValues(site: string, owner: string) {
  const [local, domain] = owner.split('@') as [string, string];
  return {
    /** Host headers naming no known site: odd bytes, look-alikes, the site as a suffix or prefix. */
    unknownHosts: [
      'evil.example',
      `${site}.evil.example`,
      `evil-${site}`,
      `${site}\0`,
      `${site}\u0000.evil`,
      `${site}\u00ad`,
      site.replace('e', '\u0435'), // Cyrillic е
      site.replace('i', '\u0456'), // Cyrillic і
      site.replace('.', '\u3002'), // ideographic full stop
      site.replace('.', '\uff0e'), // fullwidth full stop
      `${site}%2e`,
      `${site}@evil.example`,
      `evil.example#${site}`,
      `evil.example/${site}`,
      `evil.example\\${site}`,
      `${site} evil.example`,
      `${site},evil.example`,
      '\u00ff\u00fe',
      '%00',
      `xn--${site}`,
      '169.254.169.254',
      '[::ffff:127.0.0.1]',
    ],
    /** Addresses with a route (`%`, `!`), a tag, a look-alike or an RFC 2047 word. */
    addresses: [
      `${local}%evil.example@${domain}`,
      `evil.example!${local}@${domain}`,
      `${local}!evil@${domain}`,
      `${local}@evil.example@${domain}`,
      `${local}@${domain}@evil.example`,
      `@evil.example:${owner}`,
      `${local}+tag@${domain}`,
      `${local}+evil%evil.example@${domain}`,
      `${local}+@${domain}`,
      `${local.replace('o', '\u043e')}@${domain}`, // Cyrillic о
      `${local}@${domain.replace('a', '\u0430')}`, // Cyrillic а
      `${local}\uff20${domain}`, // fullwidth @
      `${local}@${domain}\u200b`,
      `=?utf-8?q?${local}?=@${domain}`,
      `=?utf-8?b?${Buffer.from(owner).toString('base64')}?=`,
      `=?utf-8?q?evil=40evil.example?= <${owner}>`,
      `"${local}"@${domain}`,
      `"${local}@evil.example"@${domain}`,
      `${local}@[127.0.0.1]`,
      `${owner}, evil@evil.example`,
      `${owner}\r\nRCPT TO:<evil@evil.example>`,
      `${local}%40evil.example@${domain}`,
      owner.toUpperCase(),
      ` ${owner} `,
    ],
  };
}

/** What every mail the daemon sends may be addressed to: the one granted owner, spelt plainly. */
export function isPlainRecipient(recipient: string, owner: string): boolean {
  return recipient === owner && /^[a-z0-9._+-]+@[a-z0-9.-]+$/.test(recipient);
}
