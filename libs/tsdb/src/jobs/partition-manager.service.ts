import type { Pool } from 'pg';
import { TsdbInputError } from '../tsdb.errors';
import { DAY_MS } from '../tsdb.types';

export interface PartitionManagerOptions {
  now?: () => number;
}

/**
 * Creates the day (and month, for 1h rollups) partitions ahead of time through the owner-run
 * `tsdb_ensure_partitions`, which is idempotent and serialises concurrent callers. No-op under
 * TimescaleDB, which creates chunks itself.
 */
export class PartitionManager {
  private readonly now: () => number;

  constructor(
    private readonly pool: Pool,
    options: PartitionManagerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Yesterday through `days` ahead; returns how many partitions it created. */
  async ensureAhead(days = 7): Promise<number> {
    if (!Number.isInteger(days) || days < 0 || days > 366)
      throw new TsdbInputError(`ensureAhead: days must be 0..366, got ${days}`);
    const now = this.now();
    return this.ensureRange(now - DAY_MS, now + days * DAY_MS);
  }

  /** Partitions covering [fromMs, toMs]. */
  async ensureRange(fromMs: number, toMs: number): Promise<number> {
    if (!Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs) || toMs < fromMs) {
      throw new TsdbInputError(`invalid partition range ${fromMs} .. ${toMs}`);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await this.pool.query<{ n: number }>(
          'SELECT tsdb_ensure_partitions($1, $2) AS n',
          [fromMs, toMs],
        );
        return rows[0].n;
      } catch (err) {
        // 42P07: a concurrent caller created the same partition between this call's check and its
        // CREATE (the function's catalog view can predate the other's commit). Now it exists, so
        // asking again answers from the catalog.
        if ((err as { code?: string }).code !== '42P07' || attempt >= 3) throw err;
      }
    }
  }
}
