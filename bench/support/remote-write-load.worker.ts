// The remote_write load generator, run in a worker thread so that sending never shares an event
// loop with what it measures (the api is another process anyway). It replays pre-encoded request
// bodies the way Prometheus' queue manager does: one sender per shard, each shard's requests in
// order (a series lives in one shard, so its samples arrive in timestamp order), `concurrency`
// shards in flight at once, until the deadline or the end of the bodies.
import { parentPort, workerData } from 'node:worker_threads';

export interface LoadJob {
  url: string;
  headers: Record<string, string>;
  /** All bodies back to back; `offsets[i]..offsets[i+1]` is body i. */
  buffer: SharedArrayBuffer;
  offsets: number[];
  /** Samples in body i. */
  samples: number[];
  /** Body indices per shard, in sending order. */
  shards: number[][];
  seconds: number;
}

export interface LoadResult {
  elapsedMs: number;
  requests: number;
  acceptedSamples: number;
  rejectedSamples: number;
  statuses: Record<string, number>;
  firstError?: string;
  latenciesMs: number[];
  exhausted: boolean;
}

async function run(job: LoadJob): Promise<LoadResult> {
  const bytes = new Uint8Array(job.buffer);
  const result: LoadResult = {
    elapsedMs: 0,
    requests: 0,
    acceptedSamples: 0,
    rejectedSamples: 0,
    statuses: {},
    latenciesMs: [],
    exhausted: false,
  };
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  let finishedShards = 0;
  await Promise.all(
    job.shards.map(async (bodies) => {
      for (const i of bodies) {
        if (performance.now() >= deadline) return;
        const body = bytes.slice(job.offsets[i], job.offsets[i + 1]);
        const t0 = performance.now();
        let status = 'error';
        try {
          // A request may not outlive the run by much: bounded like Prometheus' remote_timeout.
          const res = await fetch(job.url, {
            method: 'POST',
            headers: job.headers,
            body,
            signal: AbortSignal.timeout(30_000),
          });
          status = String(res.status);
          const text = await res.text();
          if (!res.ok && !result.firstError)
            result.firstError = `${res.status} ${text.slice(0, 300)}`;
        } catch (err) {
          if (!result.firstError) result.firstError = (err as Error).message;
        }
        result.latenciesMs.push(performance.now() - t0);
        result.requests++;
        result.statuses[status] = (result.statuses[status] ?? 0) + 1;
        if (/^2\d\d$/.test(status)) result.acceptedSamples += job.samples[i];
        else result.rejectedSamples += job.samples[i];
      }
      finishedShards++;
    }),
  );
  result.elapsedMs = performance.now() - started;
  result.exhausted = finishedShards === job.shards.length && performance.now() < deadline;
  return result;
}

if (parentPort) {
  run(workerData as LoadJob).then(
    (r) => parentPort!.postMessage({ ok: true, result: r }),
    (err: Error) => parentPort!.postMessage({ ok: false, error: err.stack ?? err.message }),
  );
}
