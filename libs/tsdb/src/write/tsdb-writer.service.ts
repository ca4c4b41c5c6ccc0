import type { Pool, PoolClient } from 'pg';
import { PartitionManager } from '../jobs/partition-manager.service';
import { canonicalLabels } from '../series/labels';
import {
  SeriesIndex,
  seriesMemoState,
  type ResolvedSeries,
  type SeriesMemoState,
} from '../series/series-index';
import { assertOrgId, TsdbInputError } from '../tsdb.errors';
import {
  BLOCK_MS,
  DAY_MS,
  MINUTE_MS,
  seriesOfColumns,
  type SeriesColumns,
  type WriteResult,
  type WriteSeries,
} from '../tsdb.types';
import type { LateWriteListener } from './late-writes';
import { allocLogRow } from './sample-log';

export interface TsdbWriterOptions {
  /** Shared with SeriesLimitsService so both see the same known label sets. */
  index?: SeriesIndex;
  /** Samples older than this (relative to now) are refused as out of bounds. */
  maxSampleAgeMs?: number;
  /** Samples further ahead than this are refused as out of bounds. */
  maxFutureMs?: number;
  now?: () => number;
  /** Told, after commit, of writes older than its horizon (the query results cache). */
  lateWrites?: LateWriteListener;
}

/**
 * One series of a write. A series given once with every sample in bounds (what ingest sends)
 * keeps views of the caller's arrays; anything else is copied into arrays of its own.
 */
interface Prepared {
  canonical: string;
  labels: WriteSeries['labels'];
  memo: SeriesMemoState | undefined;
  ts: ArrayLike<number>;
  /**
   * Value words, low then high per sample, from `w0`: NaN payloads (the staleness marker)
   * survive. For views, a word view of the whole buffer the caller's values live in.
   */
  words: ArrayLike<number>;
  w0: number;
  n: number;
  /** Whether ts is ascending (non-strictly); if not, the series is sorted before logging. */
  sorted: boolean;
  /** Set once the series no longer views the caller's arrays. */
  copied: { ts: number[]; words: number[] } | undefined;
}

/** Numbers the writes of this process, for finding a memo's series within one write. */
let writeSeq = 0;

/**
 * The write path. A request is committed as one transaction before `write` resolves: new
 * series and the request's samples as one head-log row per 2 h block (`sample_log`, see
 * sample-log.ts). The flusher (jobs/log-flusher.ts) later folds log rows into per-series chunks
 * and leaves the dirty markers for compaction and rollups; readers read chunks and the log.
 * Writers touch no shared row: the markers they used to upsert were held until each writer's
 * COMMIT and so serialised every concurrent write of an organization.
 *
 * Why a log and not a row per sample: PostgreSQL's cost per row (heap tuple, primary-key entry,
 * RLS check) was most of ingest's cost, and a request's samples arrive together anyway. One row
 * per request is cheap to write but not to read per series, so the flusher moves samples into
 * one row per series and block within seconds, and readers only unpack the unfolded tail.
 *
 * Idempotency: a re-sent request is logged again, and every reader of the log (readers, the
 * flusher) keeps the first-logged sample of a timestamp, as merging into chunks keeps the
 * first-stored one; so re-sending never duplicates a sample, as Prometheus keeps the first of
 * duplicate samples.
 */
export class TsdbWriter {
  readonly index: SeriesIndex;
  private readonly partitions: PartitionManager;
  private readonly maxAgeMs: number;
  private readonly maxFutureMs: number;
  private readonly now: () => number;
  private readonly lateWrites?: LateWriteListener;
  private readonly knownDays = new Set<number>();

  constructor(
    private readonly pool: Pool,
    options: TsdbWriterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.index = options.index ?? new SeriesIndex({ now: this.now });
    this.partitions = new PartitionManager(pool, { now: this.now });
    this.maxAgeMs = options.maxSampleAgeMs ?? 7 * DAY_MS;
    this.maxFutureMs = options.maxFutureMs ?? 10 * MINUTE_MS;
    this.lateWrites = options.lateWrites;
  }

  async write(orgId: string, batch: WriteSeries[]): Promise<WriteResult> {
    assertOrgId(orgId);
    if (!Array.isArray(batch)) throw new TsdbInputError('a write needs an array of series');
    const now = this.now();
    const minTs = now - this.maxAgeMs;
    const maxTs = now + this.maxFutureMs;
    // Series given more than once are merged: those with a memo found through it (a number
    // compare on an object already in hand), the rest by canonical string in a map. Map lookups
    // of 2,000 distinct long strings per request were a tenth of the writer's CPU. Two memos of
    // equal labels stay two entries here and are merged once their ids are known.
    const seq = ++writeSeq;
    const prepared: Prepared[] = [];
    const bySeries = new Map<string, Prepared>();
    let outOfBounds = 0;
    let total = 0;
    const days = new Set<number>();
    let lastDay = NaN;
    let wordsOf: ArrayBufferLike | null = null;
    let words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
    let oldestTs = Infinity;

    const add = (p: Prepared): Prepared => {
      if (p.memo === undefined) bySeries.set(p.canonical, p);
      else {
        p.memo.writeSeq = seq;
        p.memo.writeAt = prepared.length;
      }
      prepared.push(p);
      return p;
    };

    for (const s of batch) {
      if (!s || typeof s !== 'object')
        throw new TsdbInputError('each series needs labels, timestamps and values');
      const memo = seriesMemoState(s.labels, s.memo);
      const canonical = memo ? memo.canonical : canonicalLabels(s.labels);
      const { timestamps, values } = s;
      if (!timestamps || !values || timestamps.length !== values.length) {
        throw new TsdbInputError(
          `series ${s.labels.__name__}: timestamps and values must have the same length`,
        );
      }
      if (!(values instanceof Float64Array)) {
        for (let i = 0; i < values.length; i++) {
          if (typeof values[i] !== 'number') {
            throw new TsdbInputError(
              `series ${s.labels.__name__}: value ${String(values[i])} is not a number`,
            );
          }
        }
      }
      const vals = values instanceof Float64Array ? values : Float64Array.from(values);
      // The remote_write decoder hands every series a view of one buffer: one word view of it
      // serves the whole request (a view per series was a measurable share of the write).
      if (vals.buffer !== wordsOf) {
        wordsOf = vals.buffer;
        words = new Uint32Array(wordsOf, 0, wordsOf.byteLength >>> 2);
      }
      const w0 = vals.byteOffset >>> 2;
      let inBounds = 0;
      let sorted = true;
      for (let i = 0; i < timestamps.length; i++) {
        const t = timestamps[i];
        if (!Number.isSafeInteger(t))
          throw new TsdbInputError(
            `series ${s.labels.__name__}: timestamp ${t} is not an integer millisecond`,
          );
        if (t < minTs || t > maxTs) {
          outOfBounds++;
          continue;
        }
        if (i > 0 && t < timestamps[i - 1]) sorted = false;
        inBounds++;
        if (t < oldestTs) oldestTs = t;
        const day = Math.floor(t / DAY_MS);
        if (day !== lastDay) {
          lastDay = day;
          days.add(day);
        }
      }
      total += inBounds;
      let p =
        memo === undefined
          ? bySeries.get(canonical)
          : memo.writeSeq === seq
            ? prepared[memo.writeAt]
            : undefined;
      if (p === undefined && inBounds === timestamps.length) {
        add({
          canonical,
          labels: s.labels,
          memo,
          ts: timestamps,
          words,
          w0,
          n: inBounds,
          sorted,
          copied: undefined,
        });
        continue;
      }
      if (p === undefined) {
        p = add({
          canonical,
          labels: s.labels,
          memo,
          ts: [],
          words: [],
          w0: 0,
          n: 0,
          sorted: true,
          copied: undefined,
        });
      }
      const c = copyOf(p);
      for (let i = 0; i < timestamps.length; i++) {
        const t = timestamps[i];
        if (t < minTs || t > maxTs) continue;
        if (c.ts.length > 0 && t < c.ts[c.ts.length - 1]) p.sorted = false;
        c.ts.push(t);
        c.words.push(words[w0 + 2 * i], words[w0 + 2 * i + 1]);
      }
      p.n = c.ts.length;
    }
    const series = prepared.filter((p) => p.n > 0);
    if (series.length === 0)
      return { series: prepared.length, newSeries: 0, samples: 0, outOfBounds };
    for (const p of series) if (!p.sorted) sortSeries(p);

    const { created, merged } = await this.commitWrite(orgId, days, oldestTs, now, (client) =>
      this.logSeries(client, orgId, series),
    );
    return { series: prepared.length - merged, newSeries: created, samples: total, outOfBounds };
  }

  /**
   * {@link write} for series given as positions in request-wide arrays (ingest's remote_write
   * path). A write whose series all carry a memo, appear once and have every sample in bounds
   * and in order (a scrape's usual shape) goes from the arrays to the log row without an object
   * per series; anything else is handed to {@link write} as series views.
   */
  async writeColumns(orgId: string, cols: SeriesColumns): Promise<WriteResult> {
    assertOrgId(orgId);
    const n = cols.count;
    const now = this.now();
    const minTs = now - this.maxAgeMs;
    const maxTs = now + this.maxFutureMs;
    const seq = ++writeSeq;
    const { first, timestamps: ts, labels, memos } = cols;
    const states: SeriesMemoState[] = new Array(n);
    const days = new Set<number>();
    let lastDay = NaN;
    let oldestTs = Infinity;
    let fast = n > 0 && first.length > n && first[n] <= ts.length;
    for (let i = 0; fast && i < n; i++) {
      const memo = seriesMemoState(labels[i], memos[i]);
      const a = first[i];
      const b = first[i + 1];
      // A series given twice is merged by write(), as is one with nothing or something to drop.
      if (memo === undefined || memo.writeSeq === seq || !(b > a)) {
        fast = false;
        break;
      }
      memo.writeSeq = seq;
      memo.writeAt = i;
      states[i] = memo;
      let prev = -Infinity;
      for (let k = a; k < b; k++) {
        const t = ts[k];
        if (!(t >= minTs && t <= maxTs && t >= prev) || !Number.isSafeInteger(t)) {
          fast = false;
          break;
        }
        prev = t;
        if (t < oldestTs) oldestTs = t;
        const day = Math.floor(t / DAY_MS);
        if (day !== lastDay) {
          lastDay = day;
          days.add(day);
        }
      }
    }
    if (!fast) return this.write(orgId, seriesOfColumns(cols));
    const samples = first[n] - first[0];
    // Every series resolved before and none due a last_seen bump: the log row is the write's only
    // statement, so it goes alone, without a transaction around it (three round trips to one).
    const ids = this.index.knownIds(orgId, states);
    const order = ids && idOrder(ids);
    if (ids !== undefined && order !== undefined && !repeatsAnId(ids, order)) {
      const rows = logRowsOfColumns(cols, ids, order);
      await this.retrying(days, () => insertLogAlone(this.pool, orgId, rows));
      await this.afterWrite(orgId, oldestTs, now);
      return { series: n, newSeries: 0, samples, outOfBounds: 0 };
    }
    const { created, merged } = await this.commitWrite(orgId, days, oldestTs, now, (client) =>
      this.logColumns(client, orgId, cols, states),
    );
    return { series: n - merged, newSeries: created, samples, outOfBounds: 0 };
  }

  /**
   * Runs one write's transaction (retried where that is safe), then tells the late-write
   * listener. `log` resolves the series and inserts the log rows inside the transaction.
   */
  private async commitWrite(
    orgId: string,
    days: Set<number>,
    oldestTs: number,
    now: number,
    log: (client: PoolClient) => Promise<{ resolved: ResolvedSeries; merged: number }>,
  ): Promise<{ created: number; merged: number }> {
    let created = 0;
    let merged = 0;
    await this.retrying(days, async () => {
      let resolved: ResolvedSeries | undefined;
      await withOrgTransaction(this.pool, orgId, async (client) => {
        ({ resolved, merged } = await log(client));
      });
      // Only after COMMIT may the cache learn new ids.
      resolved!.commit();
      created = resolved!.created;
    });
    await this.afterWrite(orgId, oldestTs, now);
    return { created, merged };
  }

  /** Makes the days' partitions, then runs `attempt`, again where a retry is safe. */
  private async retrying(days: Set<number>, attempt: () => Promise<void>): Promise<void> {
    for (let n = 1; ; n++) {
      try {
        await this.ensureDays(days);
        await attempt();
        return;
      } catch (err) {
        const code = (err as { code?: string }).code;
        // 40P01: two writers sharing series locked them in different orders (one resolving new
        // series by hash, one bumping last_seen by id); the loser retries, the write being
        // idempotent. 23514: a day partition this process thought it had was dropped by
        // retention; forget the known days and create it again.
        if (n >= 3 || (code !== '40P01' && code !== '23514')) throw err;
        if (code === '23514') this.knownDays.clear();
      }
    }
  }

  /** Tells the late-write listener of a committed write that reached back past its horizon. */
  private async afterWrite(orgId: string, oldestTs: number, now: number): Promise<void> {
    // By minute, so at most a minute early: a spare invalidation, never a missed one.
    const oldestMinute = oldestTs - (oldestTs % MINUTE_MS);
    if (this.lateWrites && oldestMinute < now - this.lateWrites.lateBeforeMs)
      await this.lateWrites.onLateWrite(orgId, oldestMinute);
  }

  private async logSeries(
    client: PoolClient,
    orgId: string,
    series: Prepared[],
  ): Promise<{ resolved: ResolvedSeries; merged: number }> {
    const resolved = await this.index.resolve(client, orgId, series);
    const order = idOrder(resolved.ids);
    const merged = mergeSameIds(series, resolved.ids, order);
    await this.insertLog(client, orgId, logRows(series, resolved.ids, order));
    return { resolved, merged };
  }

  private async logColumns(
    client: PoolClient,
    orgId: string,
    cols: SeriesColumns,
    states: SeriesMemoState[],
  ): Promise<{ resolved: ResolvedSeries; merged: number }> {
    const resolved = await this.index.resolve(client, orgId, states);
    const ids = resolved.ids;
    const order = idOrder(ids);
    let rows: LogRow[];
    let merged = 0;
    if (repeatsAnId(ids, order)) {
      // Equal labels through two memos (rare): merged as write() merges them.
      const series = preparedOfColumns(cols, states);
      merged = mergeSameIds(series, ids, order);
      rows = logRows(series, ids, order);
    } else rows = logRowsOfColumns(cols, ids, order);
    await this.insertLog(client, orgId, rows);
    return { resolved, merged };
  }

  private async ensureDays(days: Set<number>): Promise<void> {
    const missing = [...days].filter((d) => !this.knownDays.has(d)).sort((a, b) => a - b);
    if (missing.length === 0) return;
    await this.partitions.ensureRange(missing[0] * DAY_MS, missing[missing.length - 1] * DAY_MS);
    for (const d of missing) this.knownDays.add(d);
  }

  // The packed data goes as binary parameters (no text escaping); named, so each connection
  // parses the statement once per number of blocks.
  private async insertLog(client: PoolClient, orgId: string, rows: LogRow[]): Promise<void> {
    const { tuples, values } = logTuples(orgId, rows);
    await client.query({
      name: `tsdb-log-${rows.length}`,
      text: `INSERT INTO sample_log (org_id, block_start, min_ts, max_ts, count, data) VALUES ${tuples}`,
      values,
    });
  }
}

/**
 * A log insert's VALUES list and parameters: $1 is the organization, and each tuple starts with
 * it unless `orgColumn` is false (the caller then joins it in).
 */
function logTuples(
  orgId: string,
  rows: LogRow[],
  orgColumn = true,
): { tuples: string; values: unknown[] } {
  const values: unknown[] = [orgId];
  const tuples: string[] = [];
  const org = orgColumn ? '$1, ' : '';
  for (const r of rows) {
    const b = values.length;
    tuples.push(
      `(${org}$${b + 1}::bigint, $${b + 2}::bigint, $${b + 3}::bigint, $${b + 4}::int, $${b + 5}::bytea)`,
    );
    values.push(r.block, r.min, r.max, r.count, r.data);
  }
  return { tuples: tuples.join(', '), values };
}

/**
 * The log rows as one statement outside a transaction block, so atomic and committed when it
 * returns. The organization setting is made inside it: the rows come from a join with the
 * one-row subquery that calls set_config, so it has run before the first row reaches the insert
 * and its row-level security check; being local, it ends with the statement.
 */
async function insertLogAlone(pool: Pool, orgId: string, rows: LogRow[]): Promise<void> {
  assertOrgId(orgId);
  const { tuples, values } = logTuples(orgId, rows, false);
  await pool.query({
    name: `tsdb-log-alone-${rows.length}`,
    text: `INSERT INTO sample_log (org_id, block_start, min_ts, max_ts, count, data)
      SELECT cfg.org::uuid, v.b, v.mn, v.mx, v.n, v.d
        FROM (SELECT set_config('app.org_id', $1::text, true)) AS cfg(org),
             (VALUES ${tuples}) AS v(b, mn, mx, n, d)`,
    values,
  });
}

/** Whether two positions next to each other in id order share an id. */
function repeatsAnId(ids: number[], order: ArrayLike<number>): boolean {
  for (let r = 1; r < order.length; r++) if (ids[order[r]] === ids[order[r - 1]]) return true;
  return false;
}

interface LogRow {
  block: number;
  min: number;
  max: number;
  count: number;
  data: Buffer;
}

/**
 * Positions of the series in id order, by a numeric typed-array sort of id·2²¹ + position (no
 * comparator calls); equal ids keep their request order.
 */
function idOrder(ids: number[]): ArrayLike<number> {
  const n = ids.length;
  if (n < 2 ** 21 && ids.every((id) => id < 2 ** 31)) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = ids[i] * 2 ** 21 + i;
    keys.sort();
    const o = new Uint32Array(n);
    for (let i = 0; i < n; i++) o[i] = keys[i] % 2 ** 21;
    return o;
  }
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => ids[a] - ids[b] || a - b);
}

/**
 * Folds series that resolved to the same id (equal labels given through two memos) into the
 * first given, so each id's samples stay one sorted run in the log row; the first given wins a
 * timestamp, as the first logged does. Returns how many were folded away.
 */
function mergeSameIds(series: Prepared[], ids: number[], order: ArrayLike<number>): number {
  let merged = 0;
  for (let r = 1; r < order.length; r++) {
    if (ids[order[r]] !== ids[order[r - 1]]) continue;
    let first = r - 1;
    while (series[order[first]].n === 0) first--;
    const into = series[order[first]];
    const from = series[order[r]];
    const c = copyOf(into);
    for (let j = 0; j < from.n; j++) {
      c.ts.push(from.ts[j]);
      c.words.push(from.words[from.w0 + 2 * j], from.words[from.w0 + 2 * j + 1]);
    }
    into.n = c.ts.length;
    from.n = 0;
    sortSeries(into);
    merged++;
  }
  return merged;
}

/**
 * The request's samples as one packed row per 2 h block, sorted by series id (`order`) then
 * timestamp; each series' samples are already in timestamp order.
 */
function logRows(series: Prepared[], ids: number[], order: ArrayLike<number>): LogRow[] {
  const n = series.length;
  // Each block's row is written once, straight into its packed layout: count first.
  const counts = new Map<number, number>();
  let lastBlock = NaN;
  let count = 0;
  for (const p of series) {
    for (let j = 0; j < p.n; j++) {
      const t = p.ts[j];
      const block = t - (t % BLOCK_MS);
      if (block !== lastBlock) {
        if (count > 0) counts.set(lastBlock, (counts.get(lastBlock) ?? 0) + count);
        lastBlock = block;
        count = 0;
      }
      count++;
    }
  }
  if (count > 0) counts.set(lastBlock, (counts.get(lastBlock) ?? 0) + count);
  type Builder = ReturnType<typeof allocLogRow> & { n: number; min: number; max: number };
  const builders = new Map<number, Builder>();
  for (const [block, size] of counts)
    builders.set(block, { ...allocLogRow(size), n: 0, min: Infinity, max: -Infinity });
  lastBlock = NaN;
  let cur: Builder | undefined;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    const p = series[i];
    const id = ids[i];
    const ts = p.ts;
    const words = p.words;
    const w0 = p.w0;
    for (let j = 0; j < p.n; j++) {
      const t = ts[j];
      const block = t - (t % BLOCK_MS);
      if (block !== lastBlock) {
        lastBlock = block;
        cur = builders.get(block)!;
      }
      const b = cur!;
      b.ids[b.n] = id;
      b.ts[b.n] = t;
      b.words[2 * b.n] = words[w0 + 2 * j];
      b.words[2 * b.n + 1] = words[w0 + 2 * j + 1];
      if (t < b.min) b.min = t;
      if (t > b.max) b.max = t;
      b.n++;
    }
  }
  const rows: LogRow[] = [];
  for (const [block, b] of [...builders].sort((x, y) => x[0] - y[0]))
    rows.push({ block, min: b.min, max: b.max, count: b.n, data: b.data });
  return rows;
}

/** A word view of a Float64Array's values (low then high word per value). */
function wordsOf(values: Float64Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
}

/**
 * Checked columns as the general path's series, viewing the arrays (to merge equal labels, or
 * for a request spanning blocks).
 */
function preparedOfColumns(cols: SeriesColumns, states?: SeriesMemoState[]): Prepared[] {
  const words = wordsOf(cols.values);
  const out: Prepared[] = new Array(cols.count);
  for (let i = 0; i < cols.count; i++) {
    const a = cols.first[i];
    const b = cols.first[i + 1];
    out[i] = {
      canonical: states ? states[i].canonical : '',
      labels: cols.labels[i],
      memo: states?.[i],
      ts: cols.timestamps.subarray(a, b),
      words,
      w0: 2 * a,
      n: b - a,
      sorted: true,
      copied: undefined,
    };
  }
  return out;
}

/**
 * {@link logRows} straight from columns whose series each appear once with their samples in
 * bounds and in order.
 */
function logRowsOfColumns(cols: SeriesColumns, ids: number[], order: ArrayLike<number>): LogRow[] {
  const { first, timestamps: ts } = cols;
  const words = wordsOf(cols.values);
  const n = cols.count;
  // A request's samples usually share one block: then one row, sized by the sample count.
  const lo = first[0];
  const hi = first[n];
  const block0 = ts[lo] - (ts[lo] % BLOCK_MS);
  let oneBlock = true;
  for (let k = lo; k < hi && oneBlock; k++) oneBlock = ts[k] - (ts[k] % BLOCK_MS) === block0;
  if (!oneBlock) return logRows(preparedOfColumns(cols), ids, order);
  const row = allocLogRow(hi - lo);
  const rIds = row.ids;
  const rTs = row.ts;
  const rWords = row.words;
  let o = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    const id = ids[i];
    const b = first[i + 1];
    for (let k = first[i]; k < b; k++) {
      const t = ts[k];
      rIds[o] = id;
      rTs[o] = t;
      rWords[2 * o] = words[2 * k];
      rWords[2 * o + 1] = words[2 * k + 1];
      if (t < min) min = t;
      if (t > max) max = t;
      o++;
    }
  }
  return [{ block: block0, min, max, count: o, data: row.data }];
}

/** The series' own copy of its samples, made from its views on first need. */
function copyOf(p: Prepared): { ts: number[]; words: number[] } {
  if (p.copied) return p.copied;
  const ts: number[] = new Array(p.n);
  const words: number[] = new Array(2 * p.n);
  for (let j = 0; j < p.n; j++) {
    ts[j] = p.ts[j];
    words[2 * j] = p.words[p.w0 + 2 * j];
    words[2 * j + 1] = p.words[p.w0 + 2 * j + 1];
  }
  p.copied = { ts, words };
  p.ts = ts;
  p.words = words;
  p.w0 = 0;
  return p.copied;
}

/** Stable sort of one series' samples by timestamp (rare: out-of-order input). */
function sortSeries(p: Prepared): void {
  const c = copyOf(p);
  const idx = Array.from({ length: p.n }, (_, i) => i);
  idx.sort((a, b) => c.ts[a] - c.ts[b] || a - b);
  const ts = idx.map((i) => c.ts[i]);
  const words: number[] = new Array(2 * p.n);
  for (let k = 0; k < idx.length; k++) {
    words[2 * k] = c.words[2 * idx[k]];
    words[2 * k + 1] = c.words[2 * idx[k] + 1];
  }
  p.copied = { ts, words };
  p.ts = ts;
  p.words = words;
  p.sorted = true;
}

/**
 * BEGIN and the organization setting in one round trip (simple protocol, so the id is inlined;
 * assertOrgId has checked it is a bare UUID). Same contract as withOrgClient.
 */
async function withOrgTransaction<T>(
  pool: Pool,
  orgId: string,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  assertOrgId(orgId);
  const client = await pool.connect();
  try {
    await client.query(`BEGIN; SELECT set_config('app.org_id', '${orgId}', true)`);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
