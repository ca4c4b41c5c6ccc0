import { withOrgClient } from '@tocsin/db';
import type { Pool, PoolClient } from 'pg';
import { setStaleNaNAt } from '../model';
import type { RawSamples } from '../read/sample-store';
import { LAST_SEEN_SLACK_MS } from '../series/series.repository';
import { int8ArrayLiteral } from '../sql-literals';
import { assertOrgId, TsdbInputError } from '../tsdb.errors';
import { BLOCK_MS, DAY_MS, MINUTE_MS, startOfDay } from '../tsdb.types';
import { lockBlock, mergeIntoChunks, sealChunks } from './chunk-merge';
import { mergeDay } from './day-merge';
import { claimDirty, dueDirty, releaseDirty } from './dirty-markers';
import { LogFlusher } from './log-flusher';

export interface CompactorOptions {
  /** A block is compacted once its end is this far in the past (late samples still land in the head). */
  graceMs?: number;
  /** Series per transaction (per statement in a day merge, which is one transaction). */
  seriesBatch?: number;
  now?: () => number;
}

export interface CompactionResult {
  blocks: number;
  series: number;
  samples: number;
  /** Day rows written (compactDue; see day-merge.ts). */
  dayRows: number;
}

/**
 * Moves head rows of one organization and one 2 h block into compressed per-series chunks.
 * Ingest now writes the head log, which the LogFlusher folds into open (uncompressed) chunks
 * within seconds; the compactor flushes it too (so a compacted block has nothing left in the
 * log), drains the per-sample head `samples` that earlier versions wrote, and seals the block's
 * open chunks into compressed ones.
 * Each series batch is one transaction that DELETEs the head rows RETURNING them (so exactly the
 * rows it removes are the rows it encodes; a sample written meanwhile stays in the head for the
 * next run), merges them into any existing chunk (first-stored sample wins a timestamp), and
 * upserts the chunk. An advisory lock per (org, block) serialises concurrent runs; running it
 * twice is a no-op the second time.
 */
export class Compactor {
  private readonly graceMs: number;
  private readonly seriesBatch: number;
  private readonly now: () => number;
  private readonly flusher: LogFlusher;

  constructor(
    private readonly pool: Pool,
    options: CompactorOptions = {},
  ) {
    this.graceMs = options.graceMs ?? 15 * MINUTE_MS;
    this.seriesBatch = options.seriesBatch ?? 2000;
    this.now = options.now ?? Date.now;
    this.flusher = new LogFlusher(pool);
  }

  /**
   * Organizations with blocks due for compaction, with an unfolded head log (whose flush may
   * leave such markers), or with 2 h chunks of an ended day not merged into day rows yet, ids
   * only, for the job scheduler.
   */
  async pendingOrgs(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT tsdb_pending_orgs('compact', $1) AS id UNION SELECT tsdb_log_orgs()
       UNION SELECT tsdb_unmerged_day_orgs($2)`,
      [this.dueBefore(), this.endedDaysBefore()],
    );
    return rows.map((r) => r.id);
  }

  /** Compacts every block of the organization whose end is past the grace period. */
  async compactDue(orgId: string, maxBlocks = 100): Promise<CompactionResult> {
    assertOrgId(orgId);
    // The flush leaves the markers of what the log held.
    const flushed = await this.flusher.flush(orgId, this.dueBefore());
    const blocks = await withOrgClient(this.pool, orgId, (c) =>
      dueDirty(c, orgId, 'compact', this.dueBefore(), maxBlocks),
    );
    const total: CompactionResult = {
      blocks: 0,
      series: flushed.chunks,
      samples: flushed.samples,
      dayRows: 0,
    };
    // Per day compacted here: whether its last block was.
    const days = new Map<number, boolean>();
    for (const block of blocks) {
      const r = await this.compactBlock(orgId, block);
      total.blocks += 1;
      total.series += r.series;
      total.samples += r.samples;
      const day = startOfDay(block);
      days.set(day, days.get(day) === true || block + BLOCK_MS === day + DAY_MS);
    }
    // An ended day's chunks are merged into day rows (day-merge.ts) when its last block is
    // sealed, and a later sample's chunk into the day rows there are. Not at every block: a day
    // written in parts (a backfill) would have its day rows rewritten at every part. A day whose
    // last block got no sample (the writer stopped, or a backfill ended early) is merged by the
    // first run that finds its sealed chunks with nothing of that day left to compact, i.e.
    // once the day has been quiet for a compaction interval.
    const ended = this.endedDaysBefore();
    for (const day of await withOrgClient(this.pool, orgId, (c) => unmergedDays(c, orgId, ended))) {
      if (!days.has(day)) days.set(day, true);
    }
    for (const [day, last] of [...days].sort((a, b) => a[0] - b[0])) {
      if (day >= ended) continue;
      const r = await withOrgClient(this.pool, orgId, (c) =>
        mergeDay(c, orgId, day, last, this.seriesBatch),
      );
      total.dayRows += r.series;
    }
    if (total.samples > 0) await this.reclaimHeadPartitions();
    return total;
  }

  /**
   * Truncates past days' head partitions once every organization's rows there are compacted,
   * so their emptied index pages stop costing space (tsdb_reclaim_head_partitions). Global and
   * idempotent; compactDue calls it, and a periodic job may too.
   */
  async reclaimHeadPartitions(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(
      'SELECT tsdb_reclaim_head_partitions($1) AS name',
      [this.graceMs + BLOCK_MS],
    );
    return rows.map((r) => r.name);
  }

  async compactBlock(orgId: string, blockStart: number): Promise<CompactionResult> {
    assertOrgId(orgId);
    if (!Number.isSafeInteger(blockStart) || blockStart % BLOCK_MS !== 0) {
      throw new TsdbInputError(`block start ${blockStart} is not aligned to ${BLOCK_MS} ms`);
    }
    const blockEnd = blockStart + BLOCK_MS;
    // Claiming first waits for writers that marked this block and have not committed yet.
    const claims = await withOrgClient(this.pool, orgId, (c) =>
      claimDirty(c, orgId, 'compact', blockStart, blockEnd),
    );
    // After the claim, every flush that marked this block has committed; what the log holds
    // now is folded too. The counts include what the flush folded of other blocks.
    const flushed = await this.flusher.flush(orgId, this.dueBefore());
    const seriesIds = await withOrgClient(this.pool, orgId, async (c) => {
      const { rows } = await c.query<{ id: string }>(
        `SELECT id FROM series WHERE org_id = $1 AND last_seen >= to_timestamp($2) ORDER BY id`,
        [orgId, (blockStart - LAST_SEEN_SLACK_MS) / 1000],
      );
      return rows.map((r) => Number(r.id));
    });
    const result: CompactionResult = {
      blocks: 1,
      series: flushed.chunks,
      samples: flushed.samples,
      dayRows: 0,
    };
    for (let i = 0; i < seriesIds.length; i += this.seriesBatch) {
      const ids = seriesIds.slice(i, i + this.seriesBatch);
      const r = await withOrgClient(this.pool, orgId, (c) =>
        this.compactSeries(c, orgId, blockStart, ids),
      );
      result.series += r.series;
      result.samples += r.samples;
    }
    // The block is over: its open chunks (the flusher's, uncompressed) are sealed.
    await withOrgClient(this.pool, orgId, async (c) => {
      await lockBlock(c, orgId, blockStart);
      await sealChunks(c, orgId, blockStart);
    });
    await withOrgClient(this.pool, orgId, (c) => releaseDirty(c, orgId, 'compact', claims));
    return result;
  }

  private async compactSeries(
    client: PoolClient,
    orgId: string,
    blockStart: number,
    ids: number[],
  ): Promise<{ series: number; samples: number }> {
    await lockBlock(client, orgId, blockStart);
    const { rows } = await client.query<[string, string, number | null]>({
      text: `DELETE FROM samples WHERE org_id = $1 AND series_id = ANY($2::bigint[]) AND ts >= $3 AND ts < $4
             RETURNING series_id, ts, value`,
      values: [orgId, int8ArrayLiteral(ids), blockStart, blockStart + BLOCK_MS],
      rowMode: 'array',
    });
    if (rows.length === 0) return { series: 0, samples: 0 };
    const series = await mergeIntoChunks(client, orgId, blockStart, groupRows(rows));
    return { series, samples: rows.length };
  }

  private dueBefore(): number {
    // Markers sit at block starts; a block is due once its end is graceMs old.
    return this.now() - this.graceMs - BLOCK_MS + 1;
  }

  /** The start of the first day whose end is not graceMs old yet: days before it are over. */
  private endedDaysBefore(): number {
    return startOfDay(this.now() - this.graceMs);
  }
}

/** Days (their starts) before `before` that still hold 2 h chunk rows of the organization. */
async function unmergedDays(client: PoolClient, orgId: string, before: number): Promise<number[]> {
  const { rows } = await client.query<[string]>({
    text: `SELECT DISTINCT block_start - block_start % ${DAY_MS} FROM sample_chunks
            WHERE org_id = $1 AND block_start < $2`,
    values: [orgId, before],
    rowMode: 'array',
  });
  return rows.map((r) => Number(r[0]));
}

/** Groups DELETE … RETURNING rows (any order) into sorted per-series samples. */
function groupRows(rows: Array<[string, string, number | null]>): Map<number, RawSamples> {
  const bySeries = new Map<number, Array<[number, number | null]>>();
  for (const [sid, ts, v] of rows) {
    const id = Number(sid);
    let list = bySeries.get(id);
    if (!list) bySeries.set(id, (list = []));
    list.push([Number(ts), v]);
  }
  const out = new Map<number, RawSamples>();
  for (const [id, list] of bySeries) {
    list.sort((a, b) => a[0] - b[0]);
    const timestamps = new Float64Array(list.length);
    const values = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++) {
      timestamps[i] = list[i][0];
      const v = list[i][1];
      if (v === null) setStaleNaNAt(values, i);
      else values[i] = v;
    }
    out.set(id, { timestamps, values });
  }
  return out;
}
