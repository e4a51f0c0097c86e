import type { Config } from '../config/config.js';
import type { AddressRules } from '../policy/normalize-address.js';

const memo = new WeakMap<Config, AddressRules>();

/** The `addresses` settings as the policy reads them (one object per config). */
export function addressRules(config: Config): AddressRules {
  let rules = memo.get(config);
  if (rules === undefined) {
    rules = Object.freeze({
      extraLocalChars: config.addresses.extra_local_chars,
      recipientDelimiter: config.addresses.recipient_delimiter,
      unicode: config.addresses.unicode,
    });
    memo.set(config, rules);
  }
  return rules;
}
