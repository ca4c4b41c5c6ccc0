import type { AlertingTrigger } from '@tocsin/alerting';
import type { SampleSink } from '@tocsin/ingest';
import type { Labels } from '@tocsin/tsdb';
import { afterSamplesWritten } from './after-write.sink';

/**
 * After samples are committed, asks alerting to evaluate at once the rule groups that read
 * these metrics (ingest-to-notification latency), instead of waiting for their next tick. The
 * names are handed over as a lazy view of the batch: the trigger reads them only when one of
 * the organization's rules names a metric.
 */
export function withAlertingTrigger(
  sink: SampleSink,
  trigger: Pick<AlertingTrigger, 'onSamplesWritten'>,
): SampleSink {
  return afterSamplesWritten(sink, (orgId, batch) => {
    const labels = batch.columns ? batch.columns.labels : batch.series.map((s) => s.labels);
    void trigger.onSamplesWritten(orgId, metricNames(labels));
  });
}

/** The series' metric names, each time it is iterated (repeats included). */
function metricNames(labels: readonly Labels[]): Iterable<string> {
  return {
    *[Symbol.iterator]() {
      for (const l of labels) if (l.__name__) yield l.__name__;
    },
  };
}
