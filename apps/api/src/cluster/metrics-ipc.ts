import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/**
 * /metrics under several api processes. A scrape reaches one process, picked by the primary;
 * its own counters alone would jump between scrapes. So the process that got the scrape asks
 * the primary, the primary collects every process' registry as JSON and merges them with
 * prom-client's aggregators (counters and histograms summed, gauges as each declares), and the
 * text goes back the same way. One process (API_PROCESSES=1) answers from its own registry.
 */

const SCRAPE = 'tocsin:metrics-scrape';
const SCRAPED = 'tocsin:metrics-scraped';
const COLLECT = 'tocsin:metrics-collect';
const COLLECTED = 'tocsin:metrics-collected';

/** A process that does not answer within this is left out of the scrape. */
export const COLLECT_TIMEOUT_MS = 3000;

type Message =
  | { type: typeof SCRAPE; id: string }
  | { type: typeof SCRAPED; id: string; text?: string; error?: string }
  | { type: typeof COLLECT; id: string }
  | { type: typeof COLLECTED; id: string; metrics?: MetricsJson; error?: string };

const isMessage = (m: unknown): m is Message =>
  typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';

const waiting = new Map<string, { resolve: (text: string) => void; reject: (e: Error) => void }>();

/** In an api process under the primary: answer the primary's collections, take its merges. */
export function answerMetricsRequests(registry: Registry): void {
  process.on('message', (m: unknown) => {
    if (!isMessage(m)) return;
    if (m.type === COLLECT) {
      registry.getMetricsAsJSON().then(
        (metrics) => process.send?.({ type: COLLECTED, id: m.id, metrics }),
        (err: Error) => process.send?.({ type: COLLECTED, id: m.id, error: err.message }),
      );
    } else if (m.type === SCRAPED) {
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      if (m.text !== undefined) w.resolve(m.text);
      else w.reject(new Error(m.error ?? 'no metrics'));
    }
  });
}

/** In an api process under the primary: every process' metrics, merged. */
export function clusterMetricsText(): Promise<string> {
  return new Promise((resolve, reject) => {
    const id = randomUUID();
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('the api primary did not answer'));
    }, COLLECT_TIMEOUT_MS * 2);
    waiting.set(id, {
      resolve: (t) => (clearTimeout(timer), resolve(t)),
      reject: (e) => (clearTimeout(timer), reject(e)),
    });
    process.send!({ type: SCRAPE, id });
  });
}

/**
 * In the primary: serve scrapes from any api process by collecting from all of them. `extra`
 * is the primary's own registry (process counts, restarts), merged in.
 */
export function serveClusterMetrics(
  workers: () => Worker[],
  extra: Registry,
): (worker: Worker, m: unknown) => void {
  const collecting = new Map<string, { got: MetricsJson[]; done: () => void }>();
  const collect = async (): Promise<string> => {
    const id = randomUUID();
    const got: MetricsJson[] = [await extra.getMetricsAsJSON()];
    const targets = workers().filter((w) => w.isConnected());
    let pending = targets.length;
    await new Promise<void>((resolve) => {
      if (pending === 0) return resolve();
      const timer = setTimeout(resolve, COLLECT_TIMEOUT_MS);
      collecting.set(id, {
        got,
        done: () => {
          if (--pending === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
      for (const w of targets) w.send({ type: COLLECT, id });
    });
    collecting.delete(id);
    return AggregatorRegistry.aggregate(got).metrics();
  };
  return (worker, m) => {
    if (!isMessage(m)) return;
    if (m.type === COLLECTED) {
      const c = collecting.get(m.id);
      if (!c) return;
      if (m.metrics) c.got.push(m.metrics);
      c.done();
    } else if (m.type === SCRAPE) {
      collect().then(
        (text) => worker.isConnected() && worker.send({ type: SCRAPED, id: m.id, text }),
        (err: Error) =>
          worker.isConnected() && worker.send({ type: SCRAPED, id: m.id, error: err.message }),
      );
    }
  };
}
