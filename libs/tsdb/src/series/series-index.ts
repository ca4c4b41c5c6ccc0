import type { PoolClient } from 'pg';
import type { Labels } from '../model';
import { int8ArrayLiteral } from '../sql-literals';
import { labelsHash, splitLabels } from './labels';
import { LruCache } from './lru-cache';

export interface SeriesIndexOptions {
  /** Label sets remembered per process and organization. */
  cacheSize?: number;
  /** How stale `series.last_seen` may get before a write bumps it. */
  lastSeenRefreshMs?: number;
  now?: () => number;
}

interface Entry {
  id: number;
  seenAt: number;
}

export interface ResolveInput {
  canonical: string;
  labels: Labels;
}

export interface ResolvedSeries {
  ids: Map<string, number>;
  created: number;
  /** To call after the transaction commits: remembers ids and last_seen bumps. */
  commit: () => void;
}

/**
 * Labels → series id, with an in-process LRU in front of the `series` table. Unknown label
 * sets are inserted in one statement (ON CONFLICT, sorted by hash so concurrent writers lock
 * in the same order); cached ones only get `last_seen` bumped every `lastSeenRefreshMs`.
 * Cache entries are added only after the caller commits, so a rolled-back insert never leaves
 * an id behind.
 */
export class SeriesIndex {
  // One cache per organization, keyed by the canonical label string itself: a key concatenated
  // with the organization id was a fresh string per lookup, hashed from scratch every time.
  private readonly caches = new Map<string, LruCache<string, Entry>>();
  private readonly cacheSize: number;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(options: SeriesIndexOptions = {}) {
    this.cacheSize = options.cacheSize ?? 1_000_000;
    this.refreshMs = options.lastSeenRefreshMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  get lastSeenRefreshMs(): number {
    return this.refreshMs;
  }

  cached(orgId: string, canonical: string): number | undefined {
    return this.caches.get(orgId)?.get(canonical)?.id;
  }

  async resolve(
    client: PoolClient,
    orgId: string,
    inputs: ResolveInput[],
  ): Promise<ResolvedSeries> {
    const now = this.now();
    let cache = this.caches.get(orgId);
    if (!cache) this.caches.set(orgId, (cache = new LruCache(this.cacheSize)));
    const ids = new Map<string, number>();
    const misses: ResolveInput[] = [];
    const stale: number[] = [];
    for (const input of inputs) {
      const entry = cache.get(input.canonical);
      if (entry === undefined) {
        misses.push(input);
      } else {
        ids.set(input.canonical, entry.id);
        if (now - entry.seenAt >= this.refreshMs) stale.push(entry.id);
      }
    }
    let created = 0;
    const fresh: Array<[string, number]> = [];
    if (misses.length > 0) {
      const rows = misses
        .map((m) => ({ m, hash: labelsHash(m.canonical), ...splitLabels(m.labels) }))
        .sort((a, b) => Buffer.compare(a.hash, b.hash));
      const res = await client.query<{ id: string; hash: Buffer; inserted: boolean }>(
        `INSERT INTO series (org_id, metric, labels, hash)
         SELECT $1, m, l::jsonb, h FROM unnest($2::text[], $3::text[], $4::bytea[]) AS u(m, l, h)
         ON CONFLICT (org_id, hash) DO UPDATE SET last_seen = now()
         RETURNING id, hash, (xmax = 0) AS inserted`,
        [
          orgId,
          rows.map((r) => r.metric),
          rows.map((r) => JSON.stringify(r.rest)),
          rows.map((r) => r.hash),
        ],
      );
      const byHash = new Map(res.rows.map((r) => [r.hash.toString('hex'), r]));
      for (const r of rows) {
        const row = byHash.get(r.hash.toString('hex'));
        if (!row) throw new Error('series insert returned no row for a label set');
        const id = Number(row.id);
        if (row.inserted) created++;
        ids.set(r.m.canonical, id);
        fresh.push([r.m.canonical, id]);
      }
    }
    if (stale.length > 0) {
      stale.sort((a, b) => a - b);
      await client.query(
        `UPDATE series SET last_seen = now() WHERE org_id = $1 AND id = ANY($2::bigint[])`,
        [orgId, int8ArrayLiteral(stale)],
      );
    }
    return {
      ids,
      created,
      commit: () => {
        for (const [canonical, id] of fresh) cache.set(canonical, { id, seenAt: now });
        if (stale.length > 0) {
          const bumped = new Set(stale);
          for (const input of inputs) {
            const entry = cache.get(input.canonical);
            if (entry && bumped.has(entry.id))
              cache.set(input.canonical, { id: entry.id, seenAt: now });
          }
        }
      },
    };
  }

  /** Forgets everything (tests; after retention deleted series). */
  clear(): void {
    this.caches.clear();
  }
}
