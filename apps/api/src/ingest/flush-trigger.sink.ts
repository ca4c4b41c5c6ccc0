import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName, createQueue, type OrgJob } from '@tocsin/queue';
import type { SampleSink } from '@tocsin/ingest';
import { afterSamplesWritten } from './after-write.sink';

/** A flush runs at the end of each such window in which an organization wrote. */
const FLUSH_WINDOW_MS = 1000;

/**
 * Asks the worker to fold the head log into chunks after ingest commits (the worker folds once
 * the log has waited or grown enough, see LogFlusher.flushDue). One delayed job per organization and
 * second, with a deterministic id, so every api process asking in the same second makes one job;
 * within a process only the first commit of a second calls Redis. The worker's flush sweep
 * catches anything a failed enqueue left.
 */
export class FlushTrigger implements OnModuleDestroy {
  private readonly logger = new Logger('flush-trigger');
  private readonly last = new Map<string, number>();
  private queue?: Queue<OrgJob>;

  onSamplesWritten(orgId: string): void {
    const now = Date.now();
    const window = Math.floor(now / FLUSH_WINDOW_MS);
    if (this.last.get(orgId) === window) return;
    this.last.set(orgId, window);
    this.queue ??= createQueue<OrgJob>(QueueName.TsdbFlush);
    this.queue
      .add(
        'flush',
        { orgId },
        {
          jobId: `flush-now-${orgId}-${window}`,
          delay: (window + 1) * FLUSH_WINDOW_MS - now,
          removeOnComplete: true,
          removeOnFail: { age: 3600 },
        },
      )
      .catch((err: Error) => this.logger.warn(`flush for ${orgId} not enqueued: ${err.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close();
  }
}

/** After samples are committed, asks for a flush. Never fails or delays the response. */
export function withFlushTrigger(
  sink: SampleSink,
  trigger: Pick<FlushTrigger, 'onSamplesWritten'>,
): SampleSink {
  return afterSamplesWritten(sink, (orgId) => trigger.onSamplesWritten(orgId));
}
