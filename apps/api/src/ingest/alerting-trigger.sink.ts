import type { AlertingTrigger } from '@tocsin/alerting';
import type { SampleSink } from '@tocsin/ingest';
import { afterSamplesWritten } from './after-write.sink';

/**
 * After samples are committed, asks alerting to evaluate at once the rule groups that read
 * these metrics (ingest-to-notification latency), instead of waiting for their next tick.
 */
export function withAlertingTrigger(
  sink: SampleSink,
  trigger: Pick<AlertingTrigger, 'onSamplesWritten'>,
): SampleSink {
  return afterSamplesWritten(sink, (orgId, batch) => {
    const names = new Set<string>();
    const labels = batch.columns ? batch.columns.labels : batch.series.map((s) => s.labels);
    for (const l of labels) if (l.__name__) names.add(l.__name__);
    void trigger.onSamplesWritten(orgId, names);
  });
}
