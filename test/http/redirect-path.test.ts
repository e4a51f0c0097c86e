import { describe, expect, it } from 'vitest';
import { redirectPath } from '../../src/http/redirect-path.js';

describe('redirectPath', () => {
  it.each([
    ['/a/b', 'x=1', '/a/b?x=1'],
    ['/', '', '/'],
    ['', '', '/'],
    ['/a', '', '/a'],
    ['//evil.test/x', '', '/evil.test/x'],
    ['/\\evil.test', 'q', '/evil.test?q'],
    ['\\\\/evil.test', '', '/evil.test'],
  ])('turns path %j and query %j into %j', (path, query, expected) => {
    expect(redirectPath(path, query)).toBe(expected);
  });
});
