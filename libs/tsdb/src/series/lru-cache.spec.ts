import { LruCache } from './lru-cache';

describe('LruCache', () => {
  it('never holds more than its capacity and keeps what was used within the last generation', () => {
    const c = new LruCache<number, string>(10);
    for (let i = 0; i < 100; i++) {
      c.set(i, `v${i}`);
      // Key 0 is used all along, so it must survive every generation change.
      expect(c.get(0)).toBe('v0');
      expect(c.size).toBeLessThanOrEqual(10);
    }
    // The 4 most recently set keys are certainly still there; the oldest ones are gone.
    for (let i = 96; i < 100; i++) expect(c.get(i)).toBe(`v${i}`);
    expect(c.get(1)).toBeUndefined();
    expect(c.get(50)).toBeUndefined();
  });

  it('overwrites, deletes and clears in either generation', () => {
    const c = new LruCache<string, number>(4);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3); // 'a' and 'b' are now the old generation
    c.set('a', 10);
    expect(c.get('a')).toBe(10);
    expect(c.size).toBe(3);
    c.delete('b');
    expect(c.get('b')).toBeUndefined();
    expect(c.size).toBe(2);
    c.clear();
    expect(c.size).toBe(0);
    expect(c.get('a')).toBeUndefined();
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
