import { describe, expect, it } from 'vitest';
import { decodeFormComponent } from '../../src/http/form-component.js';

describe('decodeFormComponent', () => {
  it.each([
    ['plain', 'plain'],
    ['a+b', 'a b'],
    ['%41%62', 'Ab'],
    ['%e2%82%ac', '€'],
    ['%zz', '%zz'],
    ['%', '%'],
    ['%%41', '%A'],
    ['%ff', '\ufffd'],
    ['\u00c3\u00a9', 'é'],
    ['\u00ff', '\ufffd'],
    ['€', '€'],
    ['😀', '😀'],
    ['\ud800', '\ufffd'],
    ['%F0%9F%98%80', '😀'],
  ])('decodes %j as %j', (raw, expected) => {
    expect(decodeFormComponent(raw)).toBe(expected);
  });
});
