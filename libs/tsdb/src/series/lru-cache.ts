/**
 * A bounded map that forgets roughly the least recently used keys, in O(1) without reordering:
 * two generations, `young` and `old`. A hit in `old` moves the key to `young`; when `young`
 * holds capacity/2 keys it becomes `old` and the previous `old` (keys unused for a whole
 * generation) is dropped. A hit in `young` costs one Map lookup: the exact LRU this replaces
 * deleted and re-inserted the key on every hit, which showed up as the ingest hot path's
 * largest single cost (a Map that churns that way keeps rehashing).
 */
export class LruCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly generation: number;

  constructor(private readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError('LRU capacity must be positive');
    this.generation = Math.max(1, Math.floor(capacity / 2));
  }

  /** Keys held (the generations never share a key); at most `capacity`. */
  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: K): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) {
      this.old.delete(key);
      this.promote(key, o);
    }
    return o;
  }

  set(key: K, value: V): void {
    this.old.delete(key);
    if (this.young.has(key)) this.young.set(key, value);
    else this.promote(key, value);
  }

  delete(key: K): void {
    this.young.delete(key);
    this.old.delete(key);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  private promote(key: K, value: V): void {
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}
