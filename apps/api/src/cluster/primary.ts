import cluster, { type Worker } from 'node:cluster';
import { Logger } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { serveClusterMetrics } from './metrics-ipc';

export interface PrimaryOptions {
  processes: number;
  /** How long stopping api processes get before they are killed (they drain for less). */
  stopTimeoutMs?: number;
}

/** Restarts of a process that ran at least this long start at once; faster deaths back off. */
const STABLE_MS = 10_000;
const MAX_BACKOFF_MS = 10_000;
/** This many processes in a row dying before they listened: the configuration is wrong. */
const MAX_START_FAILURES = 3;

/**
 * The supervisor of API_PROCESSES api processes on one host. It holds the listening socket
 * (node:cluster hands connections to the processes in turn) and serves nothing itself, so it
 * loads none of the application. A process that dies is logged and replaced; SIGTERM or SIGINT
 * passes SIGTERM on, waits for every process to drain and exit, then exits.
 */
export function runPrimary(options: PrimaryOptions): Promise<number> {
  const logger = new Logger('api-primary');
  // Above serve.ts' DRAIN_MS, below compose's stop_grace_period.
  const stopTimeoutMs = options.stopTimeoutMs ?? 25_000;
  const registry = new Registry();
  const restarts = new Counter({
    name: 'tocsin_api_process_restarts_total',
    help: 'api processes the primary started again after one exited unexpectedly.',
    registers: [registry],
  });
  new Gauge({
    name: 'tocsin_api_processes',
    help: 'api processes running under the primary (API_PROCESSES).',
    registers: [registry],
    collect() {
      this.set(live().length);
    },
  });

  const startedAt = new Map<number, number>();
  const listening = new Set<number>();
  let startFailures = 0;
  let recentCrashes = 0;
  let stopping = false;
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));

  // A worker that has exited can stay in cluster.workers until its IPC channel closes.
  const live = () =>
    Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
  const fork = () => {
    const w = cluster.fork();
    startedAt.set(w.id, Date.now());
    return w;
  };

  cluster.on('message', serveClusterMetrics(live, registry));
  cluster.on('listening', (w) => {
    listening.add(w.id);
    startFailures = 0;
  });
  cluster.on('exit', (w, code, signal) => {
    const ranMs = Date.now() - (startedAt.get(w.id) ?? Date.now());
    const wasListening = listening.delete(w.id);
    startedAt.delete(w.id);
    if (stopping) {
      if (live().length === 0) resolveExit(0);
      return;
    }
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!wasListening && ++startFailures >= MAX_START_FAILURES) {
      logger.error(
        `api process ${w.process.pid} exited (${how}) before listening, ${startFailures} in a row; stopping`,
      );
      void stop('start failures', 1);
      return;
    }
    recentCrashes = ranMs >= STABLE_MS ? 0 : recentCrashes + 1;
    const delay = recentCrashes ? Math.min(MAX_BACKOFF_MS, 100 * 2 ** recentCrashes) : 0;
    logger.error(
      `api process ${w.process.pid} exited unexpectedly (${how}) after ${(ranMs / 1000).toFixed(1)} s; ` +
        `starting another${delay ? ` in ${delay} ms` : ''}`,
    );
    restarts.inc();
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  let exitCode = 0;
  const stop = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const workers = live();
    logger.log(`${why}: stopping ${workers.length} api process(es)`);
    if (workers.length === 0) resolveExit(0);
    for (const w of workers) w.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const w of live()) {
        logger.warn(`api process ${w.process.pid} did not stop in ${stopTimeoutMs} ms; killing it`);
        w.process.kill('SIGKILL');
      }
    }, stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => void stop(signal, 0));

  logger.log(`starting ${options.processes} api processes (API_PROCESSES)`);
  for (let i = 0; i < options.processes; i++) fork();
  return exited.then(() => exitCode);
}
