import { withOrgClient } from '@tocsin/db';
import type { Pool, PoolClient } from 'pg';
import { CopyQuery } from '../read/copy-query';
import { CopyRows } from '../read/sample-store';
import { assertOrgId } from '../tsdb.errors';
import { LogGather } from '../write/sample-log';
import { MINUTE_MS } from '../tsdb.types';
import { lockBlock, mergeIntoChunks } from './chunk-merge';
import { markDirty, type DirtyMark } from './dirty-markers';

export interface LogFlusherOptions {
  /** Log rows folded per transaction (a row is one request's samples of one block). */
  rowsPerTransaction?: number;
  /** Transactions per `flush` call, so one call under sustained ingest still ends. */
  maxTransactions?: number;
  /** {@link LogFlusher.flushDue} folds once the log has been pending this long... */
  foldAfterMs?: number;
  /** ...or holds this many samples, whichever comes first. */
  foldAtSamples?: number;
  now?: () => number;
}

interface LogRowTaken {
  id: number;
  block: number;
  count: number;
  data: Buffer;
}

export interface FlushResult {
  /** Set by flushDue when it left the log for a later fold. */
  deferred?: boolean;
  rows: number;
  samples: number;
  /** Series-chunks written (a series counts once per block and transaction). */
  chunks: number;
}

/**
 * Folds the head log (`sample_log`, one row per request and block) into the per-series chunks
 * of `sample_chunks`, the way a TSDB's head appends WAL records to per-series chunks: each
 * transaction DELETEs the oldest log rows RETURNING them (so exactly the rows it removes are the
 * rows it folds), merges their samples into each series' chunk of the block (the chunk's sample
 * wins a timestamp; among log rows the first logged wins), and upserts the chunks. Readers see
 * the samples in the log until that commits and in the chunks after it. It also leaves the
 * dirty markers (blocks to compact, minutes to roll) for what it folded, which the jobs that
 * consume them therefore flush first. Flushes of one
 * organization are serialised by an advisory lock, and every chunk write holds its
 * (organization, block) lock, shared with the compactor. Running it twice is a no-op the second
 * time.
 */
export class LogFlusher {
  private readonly rowsPerTx: number;
  private readonly maxTx: number;
  private readonly foldAfterMs: number;
  private readonly foldAtSamples: number;
  private readonly now: () => number;
  /** Per organization, when this process first found its log pending since its last fold. */
  private readonly pendingSince = new Map<string, number>();

  constructor(
    private readonly pool: Pool,
    options: LogFlusherOptions = {},
  ) {
    this.rowsPerTx = Math.max(1, Math.trunc(options.rowsPerTransaction ?? 256));
    this.maxTx = options.maxTransactions ?? 50;
    this.foldAfterMs = options.foldAfterMs ?? 30_000;
    // Every reader of recent data (queries, each alert evaluation) unpacks the organization's
    // whole unfolded tail: s6-ingpg measured a 1-hour read at 1.2 ms with no tail, 2.9–4.6 ms
    // with 40,000 samples and ~18 ms with 200,000. 50,000 keeps that to a few ms; the 30 s wait
    // still applies in full to organizations under ~1,700 samples/s, where folding every second
    // cost a chunk row rewrite per sample.
    this.foldAtSamples = options.foldAtSamples ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  /** Organizations with unfolded log rows (ids only), for the sweep. */
  async pendingOrgs(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT tsdb_log_orgs() AS id');
    return rows.map((r) => r.id);
  }

  /**
   * The worker's flush job: folds the log only once it has waited `foldAfterMs` (counted from
   * when this process first saw it pending) or holds `foldAtSamples` samples. A fold costs
   * PostgreSQL about one row update per series touched, whatever the samples per series, so
   * a series scraped every 15 s and folded every second cost a row update per sample. Readers
   * unpack the whole unfolded tail of their range, which `foldAtSamples` bounds. Jobs that need
   * the samples in chunks (compaction, rollups) call {@link flush}, which always folds.
   */
  async flushDue(orgId: string): Promise<FlushResult> {
    assertOrgId(orgId);
    const { rows } = await withOrgClient(this.pool, orgId, (c) =>
      c.query<{ n: string }>(
        `SELECT coalesce(sum(count), 0) AS n FROM sample_log WHERE org_id = $1`,
        [orgId],
      ),
    );
    const pending = Number(rows[0].n);
    const now = this.now();
    if (pending === 0) {
      this.pendingSince.delete(orgId);
      return { rows: 0, samples: 0, chunks: 0 };
    }
    const since = this.pendingSince.get(orgId) ?? now;
    if (pending < this.foldAtSamples && now - since < this.foldAfterMs) {
      this.pendingSince.set(orgId, since);
      return { deferred: true, rows: 0, samples: 0, chunks: 0 };
    }
    this.pendingSince.delete(orgId);
    return this.flush(orgId);
  }

  /**
   * Folds the whole log now. `sealBefore`: blocks starting before it are written sealed (the compactor passes the blocks
   * it is about to seal, so a backfilled block is not written open first and then rewritten).
   */
  async flush(orgId: string, sealBefore = -Infinity): Promise<FlushResult> {
    assertOrgId(orgId);
    const total: FlushResult = { rows: 0, samples: 0, chunks: 0 };
    for (let i = 0; i < this.maxTx; i++) {
      const r = await withOrgClient(this.pool, orgId, (c) => this.flushOnce(c, orgId, sealBefore));
      total.rows += r.rows;
      total.samples += r.samples;
      total.chunks += r.chunks;
      if (r.rows < this.rowsPerTx) break;
    }
    return total;
  }

  private async flushOnce(
    client: PoolClient,
    orgId: string,
    sealBefore: number,
  ): Promise<FlushResult> {
    await client.query(`SELECT pg_advisory_xact_lock(7287202, hashtext($1))`, [orgId]);
    const rows = await this.takeOldestRows(client, orgId);
    if (rows.length === 0) return { rows: 0, samples: 0, chunks: 0 };
    // RETURNING has no order; first-logged-wins needs id order.
    rows.sort((a, b) => a.id - b.id);
    const byBlock = new Map<number, LogGather>();
    let samples = 0;
    for (const { block, count, data } of rows) {
      let g = byBlock.get(block);
      if (!g) byBlock.set(block, (g = new LogGather()));
      g.add(data);
      samples += count;
    }
    let chunks = 0;
    const minutes = new Set<number>();
    // Block locks in ascending order; the compactor holds one at a time, so no cycle can form.
    for (const block of [...byBlock.keys()].sort((a, b) => a - b)) {
      await lockBlock(client, orgId, block);
      const samplesBy = byBlock.get(block)!.result();
      for (const r of samplesBy.values()) {
        let last = NaN;
        for (const t of r.timestamps) {
          const m = t - (t % MINUTE_MS);
          if (m !== last) minutes.add((last = m));
        }
      }
      // Chunks stay open (uncompressed) until the compactor seals their block, even a block
      // written long after its end (a backfill is extended by every flush too); a sealed one
      // stays sealed.
      chunks += await mergeIntoChunks(
        client,
        orgId,
        block,
        samplesBy,
        block < sealBefore ? 'sealed' : 'keep',
      );
    }
    // The markers go last: their row locks (see dirty-markers.ts) are then held only through
    // COMMIT, and a job claiming one waits for this fold and then sees its samples in chunks.
    const marks: DirtyMark[] = [...byBlock.keys()].map((b) => ({ kind: 'compact', bucket: b }));
    for (const m of minutes) marks.push({ kind: '1m', bucket: m });
    await markDirty(client, orgId, marks);
    return { rows: rows.length, samples, chunks };
  }

  /**
   * Deletes the organization's oldest log rows, returning them. As a binary COPY: a query
   * result brings a bytea as hex text, twice its bytes, a string to build and then parse (17–43
   * ms of the worker's CPU for a fold of 3 MB of log rows here, in the process that shares the
   * host's cores with the api). The id is checked as a UUID, the limit is a whole number.
   */
  private async takeOldestRows(client: PoolClient, orgId: string): Promise<LogRowTaken[]> {
    const rows: LogRowTaken[] = [];
    const parser = new CopyRows();
    const copy = new CopyQuery(
      `COPY (DELETE FROM sample_log WHERE id IN (
               SELECT id FROM sample_log WHERE org_id = '${orgId}' ORDER BY id LIMIT ${this.rowsPerTx}
             ) RETURNING id, int8send(block_start) || int4send(count) || data) TO STDOUT (FORMAT binary)`,
      (piece) =>
        parser.push(piece, (id, packed) =>
          rows.push({
            id,
            block: Number(packed.readBigInt64BE(0)),
            count: packed.readInt32BE(8),
            // A view of the driver's read buffer, reused once this returns.
            data: Buffer.from(packed.subarray(12)),
          }),
        ),
    );
    void client.query(copy as never);
    await copy.done;
    return rows;
  }
}
