import type { AlertingTrigger } from '@tocsin/alerting';
import type { SampleSink } from '@tocsin/ingest';

/**
 * After samples are committed, asks alerting to evaluate at once the rule groups that read
 * these metrics (ingest-to-notification latency), instead of waiting for their next tick.
 * Fire-and-forget: the ingest response never waits for, or fails because of, alerting.
 */
export function withAlertingTrigger(
  sink: SampleSink,
  trigger: Pick<AlertingTrigger, 'onSamplesWritten'>,
): SampleSink {
  return {
    async write(orgId, batch) {
      const outcome = await sink.write(orgId, batch);
      if (outcome.samplesWritten > 0) {
        const names = new Set<string>();
        for (const s of batch.series) if (s.labels.__name__) names.add(s.labels.__name__);
        void trigger.onSamplesWritten(orgId, names);
      }
      return outcome;
    },
  };
}
