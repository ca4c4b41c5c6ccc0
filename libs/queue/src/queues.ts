import { Queue, Worker, type ConnectionOptions, type JobsOptions, type Processor, type WorkerOptions } from 'bullmq';
import { loadConfig } from '@tocsin/config';
import { redisOptions } from './redis';

/**
 * Every queue, split by urgency so slow work never delays urgent work (STYLE.md). Add a name
 * here when its processor lands.
 */
export const QueueName = {
  /** Rollups of raw samples into 1m/1h buckets and compaction into chunks. */
  Rollup: 'rollup',
  /**
   * Folding the head log into per-series chunks, seconds behind ingest: apart from Rollup so a
   * long rollup or compaction never holds it up (readers pay for every unfolded row).
   */
  TsdbFlush: 'tsdb-flush',
  /** Partition upkeep and retention: periodic, never urgent. */
  Maintenance: 'maintenance',
  /** Rule-group evaluations. */
  AlertEvaluate: 'alert-evaluate',
  /** Alert-group flushes (group_wait/group_interval/repeat_interval timers) of dispatch. */
  AlertDispatch: 'alert-dispatch',
  /** Deliveries through channels: slow providers must not delay evaluation or escalation. */
  Notify: 'notify',
  /** Incidents and their escalation steps: the most urgent queue. */
  OncallEscalate: 'oncall-escalate',
  /** Scrapes, synthetic checks and heartbeat evaluations (libs/probes). */
  Probe: 'probe',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];
export const QUEUE_NAMES: readonly QueueName[] = Object.values(QueueName);

/** Every job says whose it is; the processor runs in that organization's context. */
export interface OrgJob {
  orgId: string;
}

export function bullConnection(): ConnectionOptions {
  // bullmq bundles its own ioredis typings; the options object is the same shape.
  return redisOptions() as ConnectionOptions;
}

/** Queue keys share the deployment's prefix; the braces keep one queue in one Redis Cluster slot. */
export function bullPrefix(): string {
  return `{${loadConfig().REDIS_PREFIX}}:bull`;
}

export const defaultJobOptions: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** The one place queues are created. */
export function createQueue<T = unknown>(name: QueueName): Queue<T> {
  return new Queue<T>(name, { connection: bullConnection(), prefix: bullPrefix(), defaultJobOptions });
}

/** The one place workers are created. */
export function createWorker<T = unknown>(name: QueueName, processor: Processor<T>, options: Partial<WorkerOptions> = {}): Worker<T> {
  return new Worker<T>(name, processor, { connection: bullConnection(), prefix: bullPrefix(), concurrency: 4, ...options });
}
