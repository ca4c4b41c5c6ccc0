import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MARK_DIRTY_SQL, markParams, sortMarks, type DirtyMark } from '../jobs/dirty-markers';
import { PartitionManager } from '../jobs/partition-manager.service';
import { isStaleNaNAt } from '../model';
import { canonicalLabels } from '../series/labels';
import { SeriesIndex } from '../series/series-index';
import { float8ArrayLiteral, float8Text, int8ArrayLiteral } from '../sql-literals';
import { assertOrgId, TsdbInputError } from '../tsdb.errors';
import { BLOCK_MS, DAY_MS, MINUTE_MS, type WriteResult, type WriteSeries } from '../tsdb.types';
import type { LateWriteListener } from './late-writes';

export type SampleWriteMethod = 'unnest' | 'copy';

export interface TsdbWriterOptions {
  /** Shared with SeriesLimitsService so both see the same known label sets. */
  index?: SeriesIndex;
  /**
   * How samples reach the table: 'unnest' (default) is one INSERT … SELECT FROM unnest(arrays);
   * 'copy' COPYs into a per-connection temp staging table, then INSERT … SELECT from it. Both
   * end in ON CONFLICT DO NOTHING. bench/tsdb-write.ts measured them equal within noise for
   * 500–2000-sample requests (the index insert dominates), so the default is the one with one
   * round trip fewer and no per-connection state.
   */
  method?: SampleWriteMethod;
  /** Samples older than this (relative to now) are refused as out of bounds. */
  maxSampleAgeMs?: number;
  /** Samples further ahead than this are refused as out of bounds. */
  maxFutureMs?: number;
  now?: () => number;
  /** Told, after commit, of writes older than its horizon (the query results cache). */
  lateWrites?: LateWriteListener;
}

interface Prepared {
  canonical: string;
  labels: WriteSeries['labels'];
  ts: number[];
  values: Array<number | null>;
}

/**
 * The write path. A request is committed as one transaction before `write` resolves: new
 * series, samples into the head, and dirty markers for compaction and rollups.
 *
 * Idempotency: the head's primary key (series_id, ts) with ON CONFLICT DO NOTHING makes a
 * re-sent request a no-op while its samples are in the head; once compacted, a re-sent sample
 * lands in the head again, and both the compactor (merging into the existing chunk) and the
 * readers (merging chunk and head) keep the first-stored sample for a timestamp, as Prometheus
 * keeps the first of duplicate samples.
 *
 * Why not COPY straight into `samples`: PostgreSQL refuses COPY FROM into a table with RLS for
 * a role subject to it, and the app role always is. Staging tables (temporary, no RLS) or
 * unnest arrays feed an INSERT … SELECT, which checks the policy on every row.
 */
export class TsdbWriter {
  readonly index: SeriesIndex;
  private readonly partitions: PartitionManager;
  private readonly method: SampleWriteMethod;
  private readonly maxAgeMs: number;
  private readonly maxFutureMs: number;
  private readonly now: () => number;
  private readonly lateWrites?: LateWriteListener;
  private readonly knownDays = new Set<number>();
  private readonly staged = new WeakSet<PoolClient>();

  constructor(
    private readonly pool: Pool,
    options: TsdbWriterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.index = options.index ?? new SeriesIndex({ now: this.now });
    this.partitions = new PartitionManager(pool, { now: this.now });
    this.method = options.method ?? 'unnest';
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
    const bySeries = new Map<string, Prepared>();
    let outOfBounds = 0;
    let total = 0;
    const days = new Set<number>();
    const marks = new Map<string, DirtyMark>();
    let lastMinute = NaN;
    let oldestMinute = Infinity;

    for (const s of batch) {
      if (!s || typeof s !== 'object')
        throw new TsdbInputError('each series needs labels, timestamps and values');
      const canonical = canonicalLabels(s.labels);
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
      let p = bySeries.get(canonical);
      if (!p) {
        p = { canonical, labels: s.labels, ts: [], values: [] };
        bySeries.set(canonical, p);
      }
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
        p.ts.push(t);
        p.values.push(isStaleNaNAt(vals, i) ? null : vals[i]);
        total++;
        const minute = t - (t % MINUTE_MS);
        if (minute !== lastMinute) {
          // Samples of one request mostly share a minute; skip the map work when they do.
          lastMinute = minute;
          if (minute < oldestMinute) oldestMinute = minute;
          days.add(Math.floor(t / DAY_MS));
          const block = t - (t % BLOCK_MS);
          marks.set(`1m:${minute}`, { kind: '1m', bucket: minute });
          marks.set(`c:${block}`, { kind: 'compact', bucket: block });
        }
      }
    }
    const series = [...bySeries.values()].filter((p) => p.ts.length > 0);
    if (series.length === 0)
      return { series: bySeries.size, newSeries: 0, samples: 0, outOfBounds };

    const dirty = sortMarks([...marks.values()]);
    let created = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ensureDays(days);
        created = await this.writeOnce(orgId, series, total, dirty);
        break;
      } catch (err) {
        const code = (err as { code?: string }).code;
        // 40P01: two writers sharing series locked them in different orders (one resolving new
        // series by hash, one bumping last_seen by id); the loser retries, the write being
        // idempotent. 23514: a day partition this process thought it had was dropped by
        // retention; forget the known days and create it again.
        if (attempt >= 3 || (code !== '40P01' && code !== '23514')) throw err;
        if (code === '23514') this.knownDays.clear();
      }
    }
    // By minute, so at most a minute early: a spare invalidation, never a missed one.
    if (this.lateWrites && oldestMinute < now - this.lateWrites.lateBeforeMs)
      await this.lateWrites.onLateWrite(orgId, oldestMinute);
    return { series: bySeries.size, newSeries: created, samples: total, outOfBounds };
  }

  private async writeOnce(
    orgId: string,
    series: Prepared[],
    total: number,
    dirty: DirtyMark[],
  ): Promise<number> {
    let newStage: PoolClient | null = null;
    const resolved = await withOrgTransaction(this.pool, orgId, async (client) => {
      const resolved = await this.index.resolve(client, orgId, series);
      const ids: number[] = new Array(total);
      const ts: number[] = new Array(total);
      const vs: Array<number | null> = new Array(total);
      let k = 0;
      for (const p of series) {
        const id = resolved.ids.get(p.canonical)!;
        for (let i = 0; i < p.ts.length; i++, k++) {
          ids[k] = id;
          ts[k] = p.ts[i];
          vs[k] = p.values[i];
        }
      }
      if (this.method === 'copy') {
        if (await this.insertByCopy(client, orgId, ids, ts, vs, dirty)) newStage = client;
      } else await this.insertByUnnest(client, orgId, ids, ts, vs, dirty);
      return resolved;
    });
    // Only after COMMIT may the cache learn new ids, and the staging table count as existing.
    resolved.commit();
    if (newStage) this.staged.add(newStage);
    return resolved.created;
  }

  private async ensureDays(days: Set<number>): Promise<void> {
    const missing = [...days].filter((d) => !this.knownDays.has(d)).sort((a, b) => a - b);
    if (missing.length === 0) return;
    await this.partitions.ensureRange(missing[0] * DAY_MS, missing[missing.length - 1] * DAY_MS);
    for (const d of missing) this.knownDays.add(d);
  }

  // The dirty markers go in the same statement as the samples (one round trip less); their row
  // locks are then held only through COMMIT, see dirty-markers.ts.
  private async insertByUnnest(
    client: PoolClient,
    orgId: string,
    ids: number[],
    ts: number[],
    vs: Array<number | null>,
    dirty: DirtyMark[],
  ): Promise<void> {
    await client.query(
      `WITH s AS (
         INSERT INTO samples (org_id, series_id, ts, value)
         SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::float8[])
         ON CONFLICT DO NOTHING
       )
       ${MARK_DIRTY_SQL.replace(/\$2/g, '$5').replace(/\$3/g, '$6')}`,
      [
        orgId,
        int8ArrayLiteral(ids),
        int8ArrayLiteral(ts),
        float8ArrayLiteral(vs),
        ...markParams(dirty),
      ],
    );
  }

  /** Returns whether it created the connection's staging table. */
  private async insertByCopy(
    client: PoolClient,
    orgId: string,
    ids: number[],
    ts: number[],
    vs: Array<number | null>,
    dirty: DirtyMark[],
  ): Promise<boolean> {
    const create = !this.staged.has(client);
    if (create) {
      // One per connection, emptied at every commit; no RLS on a temporary table.
      await client.query(
        `CREATE TEMP TABLE IF NOT EXISTS tsdb_stage (series_id bigint, ts bigint, value float8) ON COMMIT DELETE ROWS`,
      );
    }
    const copy = client.query(copyFrom('COPY tsdb_stage FROM STDIN'));
    await pipeline(Readable.from(copyLines(ids, ts, vs)), copy);
    await client.query(
      `WITH s AS (
         INSERT INTO samples (org_id, series_id, ts, value) SELECT $1, series_id, ts, value FROM tsdb_stage ON CONFLICT DO NOTHING
       )
       ${MARK_DIRTY_SQL}`,
      [orgId, ...markParams(dirty)],
    );
    return create;
  }
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

function* copyLines(ids: number[], ts: number[], vs: Array<number | null>): Generator<string> {
  const rows = 4096;
  for (let start = 0; start < ids.length; start += rows) {
    let text = '';
    const end = Math.min(ids.length, start + rows);
    for (let i = start; i < end; i++) {
      const v = vs[i];
      text += `${ids[i]}\t${ts[i]}\t${v === null ? '\\N' : float8Text(v)}\n`;
    }
    yield text;
  }
}
