import { encodeWriteRequest, type EncodableSeries } from '@tocsin/ingest';
import type { AgentConfig } from './agent-config';
import { HostCollector, type Sample } from './collectors/host-collector';
import { DiskBuffer } from './disk-buffer';

export type SendOutcome = 'sent' | 'retry' | 'rejected';

/**
 * Collect → encode → send; when Tocsin cannot be reached the batch goes to the disk buffer, and
 * the buffer drains oldest-first before anything newer is sent, so backfill keeps time order.
 */
export class Agent {
  private readonly host = new HostCollector();
  readonly buffer: DiskBuffer;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private draining: Promise<void> | undefined;
  private parseExposition: ((text: string, om?: boolean) => { labels: Record<string, string>; value: number; timestampMs?: number }[]) | undefined;
  readonly stats = { ticks: 0, sent: 0, rejected: 0, backfilled: 0 };

  constructor(
    private readonly config: AgentConfig,
    private readonly log: (msg: string) => void = (m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`),
  ) {
    this.buffer = new DiskBuffer(config.bufferDir, config.bufferMaxBytes);
  }

  start(): void {
    const every = this.config.intervalSeconds * 1000;
    // Ticks are aligned to the interval grid, like Prometheus, so restarts keep the spacing.
    const schedule = () => {
      this.timer = setTimeout(() => {
        this.running = this.tick().catch((err: Error) => this.log(`tick failed: ${err.message}`));
        schedule();
      }, every - (Date.now() % every));
    };
    schedule();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.draining;
  }

  async tick(now = Date.now()): Promise<void> {
    this.stats.ticks++;
    const samples: Sample[] = this.config.hostMetrics ? this.host.collect() : [];
    const base = { ...this.config.labels, job: this.config.job, instance: this.config.instance };
    const series: EncodableSeries[] = samples.map((s) => ({ labels: { ...s.labels, ...base }, timestamps: [now], values: [s.value] }));
    for (const target of this.config.scrape) series.push(...(await this.scrape(target, now)));
    series.push(
      { labels: { ...base, __name__: 'tocsin_agent_buffered_batches' }, timestamps: [now], values: [this.buffer.length] },
      { labels: { ...base, __name__: 'tocsin_agent_dropped_batches_total' }, timestamps: [now], values: [this.buffer.dropped] },
    );
    // Every batch goes through the disk buffer (write-ahead): the sender drains it oldest first,
    // on its own, so a slow or absent Tocsin never delays collection and order is kept.
    this.buffer.push(encodeWriteRequest(series));
    void this.kick();
  }

  /** Starts draining unless a drain is running; resolves when that drain ends. */
  kick(): Promise<void> {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /** Sends buffered batches oldest first; stops at the first one Tocsin cannot take yet. */
  private async drain(): Promise<void> {
    const backlog = this.buffer.length > 1;
    for (;;) {
      const next = this.buffer.peek();
      if (!next) return;
      const r = await this.send(next);
      if (r === 'retry') return;
      if (r === 'rejected') this.stats.rejected++;
      else if (backlog) this.stats.backfilled++;
      else this.stats.sent++;
      this.buffer.shift();
    }
  }

  private async send(body: Buffer): Promise<SendOutcome> {
    try {
      const res = await fetch(`${this.config.url.replace(/\/$/, '')}/api/v1/write`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.config.token}`,
          'content-type': 'application/x-protobuf',
          'content-encoding': 'snappy',
          'x-prometheus-remote-write-version': '0.1.0',
          'user-agent': 'tocsin-agent/1',
        },
        body,
        signal: AbortSignal.timeout(this.config.timeoutSeconds * 1000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return 'sent';
      // Prometheus's remote_write rule: 429 and 5xx are retried, other 4xx will never succeed.
      if (res.status === 429 || res.status >= 500) return 'retry';
      this.log(`batch rejected with HTTP ${res.status}; dropped`);
      return 'rejected';
    } catch {
      return 'retry';
    }
  }

  private async scrape(target: AgentConfig['scrape'][number], now: number): Promise<EncodableSeries[]> {
    const labels = { ...this.config.labels, ...target.labels, job: target.job, instance: new URL(target.url).host };
    const up = (v: number): EncodableSeries => ({ labels: { ...labels, __name__: 'up' }, timestamps: [now], values: [v] });
    try {
      // Loaded on first use: agents that only collect host metrics stay small.
      this.parseExposition ??= (await import('@tocsin/probes')).parseExposition;
      const res = await fetch(target.url, { headers: { accept: 'text/plain;version=0.0.4' }, signal: AbortSignal.timeout(this.config.timeoutSeconds * 1000) });
      if (!res.ok) return [up(0)];
      const om = /openmetrics/.test(res.headers.get('content-type') ?? '');
      const parsed = this.parseExposition(await res.text(), om);
      return [...parsed.map((s) => ({ labels: { ...s.labels, ...labels }, timestamps: [s.timestampMs ?? now], values: [s.value] })), up(1)];
    } catch (err) {
      this.log(`scrape ${target.url} failed: ${(err as Error).message}`);
      return [up(0)];
    }
  }
}
