/** What the LRU needs of an entry: its owner and its (estimated) size. */
export interface Sized {
  orgId: string;
  bytes: number;
}

/**
 * An LRU bounded twice: by total bytes, and by bytes per organization, so one tenant's
 * dashboards cannot push every other tenant's cached results out. Map iteration order is
 * insertion order, so re-inserting on access keeps the least recently used entry first.
 */
export class ByteLru<V extends Sized> {
  private readonly all = new Map<string, V>();
  private readonly byOrg = new Map<string, Map<string, V>>();
  private readonly orgBytes = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxBytesPerOrg: number,
  ) {}

  get size(): number {
    return this.all.size;
  }

  get bytes(): number {
    return this.total;
  }

  bytesOf(orgId: string): number {
    return this.orgBytes.get(orgId) ?? 0;
  }

  get(key: string): V | undefined {
    const v = this.all.get(key);
    if (v === undefined) return undefined;
    this.all.delete(key);
    this.all.set(key, v);
    const org = this.byOrg.get(v.orgId)!;
    org.delete(key);
    org.set(key, v);
    return v;
  }

  /** Stores `v` unless it alone exceeds a budget; evicts least recently used entries to fit it. */
  set(key: string, v: V): boolean {
    this.delete(key);
    if (v.bytes > this.maxBytes || v.bytes > this.maxBytesPerOrg) return false;
    let org = this.byOrg.get(v.orgId);
    if (!org) this.byOrg.set(v.orgId, (org = new Map()));
    this.all.set(key, v);
    org.set(key, v);
    this.total += v.bytes;
    this.orgBytes.set(v.orgId, this.bytesOf(v.orgId) + v.bytes);
    while (this.bytesOf(v.orgId) > this.maxBytesPerOrg) this.delete(org.keys().next().value!);
    while (this.total > this.maxBytes) this.delete(this.all.keys().next().value!);
    return true;
  }

  delete(key: string): void {
    const v = this.all.get(key);
    if (v === undefined) return;
    this.all.delete(key);
    const org = this.byOrg.get(v.orgId)!;
    org.delete(key);
    this.total -= v.bytes;
    const left = this.bytesOf(v.orgId) - v.bytes;
    if (org.size === 0) {
      this.byOrg.delete(v.orgId);
      this.orgBytes.delete(v.orgId);
    } else this.orgBytes.set(v.orgId, left);
  }

  clear(): void {
    this.all.clear();
    this.byOrg.clear();
    this.orgBytes.clear();
    this.total = 0;
  }
}
