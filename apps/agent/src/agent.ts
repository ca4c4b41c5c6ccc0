import { encodeLabels, WriteRequestBuilder } from '@tocsin/ingest/remote-write-encoder';
import { parseExposition, type ParsedSample } from '@tocsin/probes/exposition';
import type { AgentConfig } from './agent-config';
import { Backlog } from './backlog';
import { HostCollector, type Sample } from './collectors/host-collector';
import { DiskBuffer } from './disk-buffer';
import { httpRequest } from './http-client';

export type SendOutcome = 'sent' | 'retry' | 'rejected';

/** Scrape bodies past this are refused rather than held in memory. */
const MAX_SCRAPE_BYTES = 16 * 1024 * 1024;

/**
 * Collect → encode → send. Batches wait in the {@link Backlog} (memory, then disk once Tocsin
 * cannot be reached) and are sent strictly oldest first, so a backfill keeps time order.
 */
export class Agent {
  private readonly host = new HostCollector();
  readonly backlog: Backlog;
  private readonly builder = new WriteRequestBuilder();
  private readonly writeUrl: URL;
  private readonly headers: Record<string, string>;
  private readonly own: Record<'buffered' | 'dropped' | 'spilled', Sample>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private draining: Promise<void> | undefined;
  readonly stats = { ticks: 0, sent: 0, rejected: 0, backfilled: 0 };

  constructor(
    private readonly config: AgentConfig,
    private readonly log: (msg: string) => void = (m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`),
  ) {
    this.backlog = new Backlog(new DiskBuffer(config.bufferDir, config.bufferMaxBytes), config.memoryBatches, log);
    this.writeUrl = new URL(`${config.url.replace(/\/$/, '')}/api/v1/write`);
    this.headers = {
      authorization: `Bearer ${config.token}`,
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
      'user-agent': 'tocsin-agent/1',
    };
    const own = (name: string): Sample => ({ labels: { __name__: name }, value: 0 });
    this.own = { buffered: own('tocsin_agent_buffered_batches'), dropped: own('tocsin_agent_dropped_batches_total'), spilled: own('tocsin_agent_spilled_batches_total') };
  }

  start(): void {
    const every = Math.max(1, Math.round(this.config.intervalSeconds * 1000));
    // Timestamps within this of the grid are snapped to it, like Prometheus' timestamp
    // tolerance: evenly spaced samples compress better, and a few ms of timer lateness is noise.
    const tolerance = Math.min(every / 10, 100);
    // Ticks are aligned to the interval grid, like Prometheus, so restarts keep the spacing.
    let due = Math.ceil(Date.now() / every) * every;
    const schedule = () => {
      this.timer = setTimeout(
        () => {
          const now = Date.now();
          // A collection still waiting on a slow scrape target is not overlapped: the batches
          // would otherwise be queued out of time order.
          if (this.running) this.log('previous collection still running; this one skipped');
          else
            this.running = this.tick(now - due <= tolerance ? due : now)
              .catch((err: Error) => this.log(`tick failed: ${err.message}`))
              .finally(() => (this.running = undefined));
          // The next grid point after this one and after now: a stalled process skips ticks
          // rather than bunching them, and a timer firing early cannot tick twice.
          due = Math.max(due + every, Math.floor(now / every) * every + every);
          schedule();
        },
        Math.max(0, due - Date.now()),
      );
    };
    schedule();
    // Whatever a previous run left on disk is sent now, not one interval later.
    if (this.backlog.length) void this.kick();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.draining;
    // Unsent batches survive the restart.
    this.backlog.spill();
    this.host.close();
  }

  async tick(now = Date.now()): Promise<void> {
    this.stats.ticks++;
    const [host, scraped] = await Promise.all([
      this.config.hostMetrics ? this.host.collect() : [],
      Promise.all(this.config.scrape.map((t) => this.scrape(t))),
    ]);
    // From here on synchronous: the builder is shared, and one batch is one collection.
    const b = this.builder;
    const base = { ...this.config.labels, job: this.config.job, instance: this.config.instance };
    // Host series keep their objects across ticks, so their labels are encoded once.
    const add = (s: Sample) => b.add((s.encoded ??= encodeLabels({ ...s.labels, ...base })), now, s.value);
    for (const s of host) add(s);
    for (const { labels, samples, up } of scraped) {
      for (const s of samples) b.add(encodeLabels({ ...s.labels, ...labels }), s.timestampMs ?? now, s.value);
      b.add(encodeLabels({ ...labels, __name__: 'up' }), now, up);
    }
    this.own.buffered.value = this.backlog.length;
    this.own.dropped.value = this.backlog.dropped;
    this.own.spilled.value = this.backlog.spilled;
    add(this.own.buffered);
    add(this.own.dropped);
    add(this.own.spilled);
    this.backlog.push(b.finish());
    // Sending runs on its own, so a slow or absent Tocsin never delays collection.
    void this.kick();
  }

  /** Starts draining unless a drain is running; resolves when that drain ends. */
  kick(): Promise<void> {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /** Sends waiting batches oldest first; at the first one Tocsin cannot take yet, spills to disk. */
  private async drain(): Promise<void> {
    const backlog = this.backlog.length > 1;
    for (;;) {
      const next = this.backlog.peek();
      if (!next) return;
      const r = await this.send(next.body);
      if (r === 'retry') {
        this.backlog.spill();
        return;
      }
      if (r === 'rejected') this.stats.rejected++;
      else if (backlog) this.stats.backfilled++;
      else this.stats.sent++;
      this.backlog.ack(next.seq);
    }
  }

  private async send(body: Buffer): Promise<SendOutcome> {
    try {
      const res = await httpRequest(this.writeUrl, { method: 'POST', headers: this.headers, body, timeoutMs: this.config.timeoutSeconds * 1000, maxBytes: 64 * 1024 });
      if (res.status >= 200 && res.status < 300) return 'sent';
      // Prometheus's remote_write rule: 429 and 5xx are retried, other 4xx will never succeed.
      if (res.status === 429 || res.status >= 500) return 'retry';
      this.log(`batch rejected with HTTP ${res.status}; dropped: ${res.body.toString('utf8', 0, 200)}`);
      return 'rejected';
    } catch {
      return 'retry';
    }
  }

  private async scrape(target: AgentConfig['scrape'][number]): Promise<{ labels: Record<string, string>; samples: ParsedSample[]; up: number }> {
    const url = new URL(target.url);
    const labels = { ...this.config.labels, ...target.labels, job: target.job, instance: url.host };
    try {
      const res = await httpRequest(url, { method: 'GET', headers: { accept: 'text/plain;version=0.0.4' }, timeoutMs: this.config.timeoutSeconds * 1000, maxBytes: MAX_SCRAPE_BYTES });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const samples = parseExposition(res.body.toString('utf8'), /openmetrics/.test(res.contentType));
      // A sample the encoder would refuse fails the scrape, not the whole batch.
      const bad = samples.find((s) => s.timestampMs !== undefined && !(Number.isSafeInteger(s.timestampMs) && s.timestampMs >= 0));
      if (bad) throw new Error(`unusable timestamp ${bad.timestampMs}`);
      return { labels, samples, up: 1 };
    } catch (err) {
      this.log(`scrape ${target.url} failed: ${(err as Error).message}`);
      return { labels, samples: [], up: 0 };
    }
  }
}
