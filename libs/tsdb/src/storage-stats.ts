import type { Client, Pool, PoolClient } from 'pg';

export interface StorageStats {
  headBytes: number;
  headSamples: number;
  chunkBytes: number;
  chunkSamples: number;
  /** (head + chunk bytes) / (head + chunk samples). */
  bytesPerSample: number;
  /** Chunk bytes / chunk samples: what data older than the head costs at rest. */
  chunkBytesPerSample: number;
  /** rollup_1m + rollup_1h (packed day rows). */
  rollupBytes: number;
  /** (chunk + rollup bytes) / chunk samples: data older than the head with its rollups. */
  atRestBytesPerSample: number;
}

/**
 * On-disk size (pg_total_relation_size: heap, indexes, TOAST, summed over partitions) of the
 * head (log and per-sample table), chunk and rollup tables, and per sample held. Counting needs to see every
 * organization, so run it as the owner (benchmarks, ops), not as the app role.
 */
export async function storageStats(db: Pool | PoolClient | Client): Promise<StorageStats> {
  const size = async (table: string) =>
    Number(
      (
        await db.query<{ b: string | null }>(
          `SELECT sum(pg_total_relation_size(relid)) AS b FROM pg_partition_tree($1::regclass) WHERE isleaf`,
          [table],
        )
      ).rows[0].b ?? 0,
    );
  // The head is the per-sample table (earlier versions) plus the head log, as written.
  const logBytes = Number(
    (await db.query<{ b: string }>(`SELECT pg_total_relation_size('sample_log') AS b`)).rows[0].b,
  );
  const headBytes = (await size('samples')) + logBytes;
  // Chunks: 2 h rows and the day rows they are merged into once a day is over.
  const chunkBytes = (await size('sample_chunks')) + (await size('sample_days'));
  const rollupBytes = (await size('rollup_1m')) + (await size('rollup_1h'));
  const headSamples = Number(
    (
      await db.query<{ n: string }>(
        'SELECT (SELECT count(*) FROM samples) + (SELECT coalesce(sum(count), 0) FROM sample_log) AS n',
      )
    ).rows[0].n,
  );
  const chunkSamples = Number(
    (
      await db.query<{ n: string }>(
        'SELECT (SELECT coalesce(sum(count), 0) FROM sample_chunks) + (SELECT coalesce(sum(count), 0) FROM sample_days) AS n',
      )
    ).rows[0].n,
  );
  const all = headSamples + chunkSamples;
  return {
    headBytes,
    headSamples,
    chunkBytes,
    chunkSamples,
    bytesPerSample: all ? (headBytes + chunkBytes) / all : 0,
    chunkBytesPerSample: chunkSamples ? chunkBytes / chunkSamples : 0,
    rollupBytes,
    atRestBytesPerSample: chunkSamples ? (chunkBytes + rollupBytes) / chunkSamples : 0,
  };
}
