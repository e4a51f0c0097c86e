import { describe, expect, it } from 'vitest';
import { OpenConnections } from '../../src/fastcgi/open-connections.js';

describe('OpenConnections', () => {
  it('keeps what is added until it is removed, and reuses the freed slots', () => {
    const open = new OpenConnections<{ name: string; slot: number }>();
    const a = open.add((slot) => ({ name: 'a', slot }));
    const b = open.add((slot) => ({ name: 'b', slot }));
    const c = open.add((slot) => ({ name: 'c', slot }));
    expect([...open].map((item) => item.name)).toEqual(['a', 'b', 'c']);
    open.remove(b.slot);
    expect([...open].map((item) => item.name)).toEqual(['a', 'c']);
    expect(open.size).toBe(2);
    const d = open.add((slot) => ({ name: 'd', slot }));
    expect(d.slot).toBe(b.slot);
    expect([...open].map((item) => item.name)).toEqual(['a', 'd', 'c']);
    open.remove(a.slot);
    open.remove(c.slot);
    open.remove(d.slot);
    expect([...open]).toEqual([]);
    expect(open.size).toBe(0);
  });

  it('ignores a slot removed twice, so no two items come to share one', () => {
    const open = new OpenConnections<{ slot: number }>();
    const a = open.add((slot) => ({ slot }));
    open.remove(a.slot);
    open.remove(a.slot);
    const b = open.add((slot) => ({ slot }));
    const c = open.add((slot) => ({ slot }));
    expect(b.slot).not.toBe(c.slot);
    expect(open.size).toBe(2);
  });
});
