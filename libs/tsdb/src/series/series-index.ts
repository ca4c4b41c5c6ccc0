import type { PoolClient } from 'pg';
import type { Labels } from '../model';
import { int8ArrayLiteral } from '../sql-literals';
import type { SeriesMemo } from '../tsdb.types';
import { canonicalLabels, labelsHash, splitLabels } from './labels';
import { LruCache } from './lru-cache';

export interface SeriesIndexOptions {
  /** Label sets remembered per process and organization. */
  cacheSize?: number;
  /** How stale `series.last_seen` may get before a write bumps it. */
  lastSeenRefreshMs?: number;
  now?: () => number;
}

/** Mutable: a last_seen bump updates it in place, wherever it is held (cache or memo). */
interface Entry {
  id: number;
  seenAt: number;
}

/**
 * What tsdb keeps in a caller's {@link SeriesMemo}: the canonical string of one frozen labels
 * object and, for the organization whose cache it was last resolved in, that cache's entry.
 * Checking the cache object (not only an org id) keeps it per index and per organization, and
 * `clear()` invalidates every memo by replacing the caches.
 */
export class SeriesMemoState {
  cache: LruCache<string, Entry> | undefined = undefined;
  entry: Entry | undefined = undefined;
  /** The writer's: which write last saw these labels, and where in it (see TsdbWriter.write). */
  writeSeq = 0;
  writeAt = 0;
  constructor(
    readonly labels: Labels,
    readonly canonical: string,
  ) {}

  /** Itself, so that a list of states is a list of {@link ResolveInput}s without a wrapper each. */
  get memo(): SeriesMemoState {
    return this;
  }
}

/**
 * The memo state for these labels, made on first use; undefined without a memo or for labels
 * that are not frozen (a mutable object could change under the remembered canonical string).
 */
export function seriesMemoState(
  labels: Labels,
  memo: SeriesMemo | undefined,
): SeriesMemoState | undefined {
  if (memo === undefined) return undefined;
  const state = memo.tsdb;
  if (state instanceof SeriesMemoState && state.labels === labels) return state;
  if (!Object.isFrozen(labels)) return undefined;
  const fresh = new SeriesMemoState(labels, canonicalLabels(labels));
  memo.tsdb = fresh;
  return fresh;
}

export interface ResolveInput {
  canonical: string;
  labels: Labels;
  memo?: SeriesMemoState;
}

export interface ResolvedSeries {
  /** Series ids in the order of the inputs. */
  ids: number[];
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

  /**
   * The label sets this organization's cache does not hold, by canonical string; `memos`
   * (parallel to `labelSets`) are the writes' {@link SeriesMemo}s, which a hit links to the
   * cache's entry so the next lookup is a compare.
   */
  uncached(
    orgId: string,
    labelSets: readonly Labels[],
    memos?: ReadonlyArray<SeriesMemo | undefined>,
  ): Map<string, Labels> {
    // Fetched once per call: a Map lookup by organization per series was a share of the check.
    const cache = this.caches.get(orgId);
    const unknown = new Map<string, Labels>();
    for (let i = 0; i < labelSets.length; i++) {
      const labels = labelSets[i];
      const memo = memos ? seriesMemoState(labels, memos[i]) : undefined;
      if (memo !== undefined && cache !== undefined && memo.cache === cache) continue;
      const canonical = memo ? memo.canonical : canonicalLabels(labels);
      const entry = cache?.get(canonical);
      if (entry === undefined) unknown.set(canonical, labels);
      else if (memo !== undefined) {
        memo.cache = cache;
        memo.entry = entry;
      }
    }
    return unknown;
  }

  /**
   * The ids of label sets whose memos this organization's cache resolved, when every one of
   * them was and none is due a last_seen bump: then a write needs no statement about its
   * series. Undefined otherwise (resolve() does the rest).
   */
  knownIds(orgId: string, memos: readonly SeriesMemoState[]): number[] | undefined {
    const cache = this.caches.get(orgId);
    if (cache === undefined) return undefined;
    const now = this.now();
    const ids: number[] = new Array(memos.length);
    for (let i = 0; i < memos.length; i++) {
      const memo = memos[i];
      if (memo.cache !== cache) return undefined;
      const entry = memo.entry!;
      if (now - entry.seenAt >= this.refreshMs) return undefined;
      ids[i] = entry.id;
    }
    return ids;
  }

  async resolve(
    client: PoolClient,
    orgId: string,
    inputs: readonly ResolveInput[],
  ): Promise<ResolvedSeries> {
    const now = this.now();
    let cache = this.caches.get(orgId);
    if (!cache) this.caches.set(orgId, (cache = new LruCache(this.cacheSize)));
    const ids: number[] = new Array(inputs.length);
    const misses: number[] = [];
    const stale: Entry[] = [];
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      const memo = input.memo;
      let entry: Entry | undefined;
      // A memo resolved in this very cache skips the lookup; the entry it holds is the cache's.
      if (memo !== undefined && memo.cache === cache) entry = memo.entry;
      else {
        entry = cache.get(input.canonical);
        if (entry !== undefined && memo !== undefined) {
          memo.cache = cache;
          memo.entry = entry;
        }
      }
      if (entry === undefined) {
        misses.push(i);
      } else {
        ids[i] = entry.id;
        if (now - entry.seenAt >= this.refreshMs) stale.push(entry);
      }
    }
    let created = 0;
    const fresh: number[] = [];
    if (misses.length > 0) {
      // A label set given twice (only possible through two different memos) is inserted once.
      const firstOf = new Map<string, number>();
      const repeats: number[] = [];
      for (const i of misses) {
        if (firstOf.has(inputs[i].canonical)) repeats.push(i);
        else firstOf.set(inputs[i].canonical, i);
      }
      const rows = [...firstOf.values()]
        .map((i) => ({
          i,
          hash: labelsHash(inputs[i].canonical),
          ...splitLabels(inputs[i].labels),
        }))
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
        if (row.inserted) created++;
        ids[r.i] = Number(row.id);
        fresh.push(r.i);
      }
      for (const i of repeats) {
        ids[i] = ids[firstOf.get(inputs[i].canonical)!];
        fresh.push(i);
      }
    }
    if (stale.length > 0) {
      const staleIds = stale.map((e) => e.id).sort((a, b) => a - b);
      await client.query(
        `UPDATE series SET last_seen = now() WHERE org_id = $1 AND id = ANY($2::bigint[])`,
        [orgId, int8ArrayLiteral(staleIds)],
      );
    }
    return {
      ids,
      created,
      commit: () => {
        for (const i of fresh) {
          const entry: Entry = { id: ids[i], seenAt: now };
          cache.set(inputs[i].canonical, entry);
          const memo = inputs[i].memo;
          if (memo !== undefined) {
            memo.cache = cache;
            memo.entry = entry;
          }
        }
        for (const entry of stale) entry.seenAt = now;
      },
    };
  }

  /** Forgets everything (tests; after retention deleted series). */
  clear(): void {
    this.caches.clear();
  }
}
