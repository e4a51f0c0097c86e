import { describe, expect, it } from 'vitest';
import { foldKey, foldKeys, foldOptionKey } from '../../src/config/fold-keys.js';
import type { FoldProblem } from '../../src/config/fold-keys.js';

describe('foldKey', () => {
  it('trims, lower-cases and turns spaces and dashes into underscores', () => {
    expect(['Logout-One', ' logout one ', 'logout_one', 'LOGOUT-ONE'].map(foldKey)).toEqual(
      Array(4).fill('logout_one'),
    );
  });

  it('drops the colon Ruby writes before symbol keys', () => {
    expect(foldKey(':host')).toBe('host');
  });
});

describe('foldOptionKey', () => {
  it('matches driver spellings regardless of case and separators', () => {
    expect(foldOptionKey('Require-TLS')).toBe(foldOptionKey('requireTLS'));
    expect(foldOptionKey('user_name')).toBe(foldOptionKey('UserName'));
  });
});

describe('foldKeys', () => {
  it('folds nested keys such as Targets: {Logout-One: /x}', () => {
    expect(foldKeys({ Targets: { 'Logout-One': '/x' } }, [])).toEqual({ targets: { logout_one: '/x' } });
  });

  it('keeps the keys of driver option maps as written', () => {
    const tree = { Email: { Options: { requireTLS: true } }, State: { options: { Application_Name: 'fp' } } };
    expect(foldKeys(tree, [])).toEqual({
      email: { options: { requireTLS: true } },
      state: { options: { Application_Name: 'fp' } },
    });
  });

  it('reports one key spelled twice in the same mapping', () => {
    const problems: FoldProblem[] = [];
    foldKeys({ state: { DSN: 'a', dsn: 'b' } }, problems);
    expect(problems).toEqual([{ path: 'state.dsn', message: 'given twice (as "DSN" and "dsn")' }]);
  });
});
