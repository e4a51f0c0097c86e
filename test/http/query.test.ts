import { describe, expect, it } from 'vitest';
import { queryParam, withoutParam } from '../../src/http/query.js';

describe('queryParam', () => {
  it.each([
    ['knock=abc', 'knock', 'abc'],
    ['a=1&knock=abc&b=2', 'knock', 'abc'],
    ['knock=first&knock=last', 'knock', 'last'],
    ['knock', 'knock', ''],
    ['knock=', 'knock', ''],
    ['q=a+b', 'q', 'a b'],
    ['q=a%2Bb', 'q', 'a+b'],
    ['q=%zz', 'q', '%zz'],
    ['q=100%', 'q', '100%'],
    ['q=%4', 'q', '%4'],
    ['q=%E2%82%AC', 'q', '€'],
    ['q=%FF', 'q', '\ufffd'],
    ['q=\u00e2\u0082\u00ac', 'q', '€'],
    ['kn%6Fck=x', 'knock', 'x'],
    ['a=1&&b=2', 'b', '2'],
    ['a=b=c', 'a', 'b=c'],
  ])('reads %j / %j as %j', (query, name, expected) => {
    expect(queryParam(query, name)).toBe(expected);
  });

  it.each([
    ['', 'knock'],
    ['a=1', 'knock'],
    ['knocker=1', 'knock'],
    ['Knock=1', 'knock'],
  ])('finds nothing in %j for %j', (query, name) => {
    expect(queryParam(query, name)).toBeUndefined();
  });

  it('does not throw on a long hostile query', () => {
    const hostile = `${'%'.repeat(10_000)}&knock=${'%zz%E2%'.repeat(5_000)}`;
    expect(queryParam(hostile, 'knock')).toBe('%zz%E2%'.repeat(5_000).replaceAll('%E2', '\ufffd'));
  });
});

describe('withoutParam', () => {
  it.each([
    ['knock=abc', ''],
    ['a=1&knock=abc', 'a=1'],
    ['knock=abc&a=1', 'a=1'],
    ['a=%zz&knock=1&b=x+y&knock=2&c', 'a=%zz&b=x+y&c'],
    ['kn%6Fck=1&a=1', 'a=1'],
    ['knock&a=1', 'a=1'],
    ['knocker=1', 'knocker=1'],
    ['a=%C3%A9&b=\u00ff', 'a=%C3%A9&b=\u00ff'],
  ])('turns %j into %j', (query, expected) => {
    expect(withoutParam(query, 'knock')).toBe(expected);
  });
});
