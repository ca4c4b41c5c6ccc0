import type { DecodedBatch, SampleSink } from '@tocsin/ingest';

/**
 * Calls `onWritten` after a write that committed samples, once the sink has answered. The
 * ingest response never waits for, or fails because of, what `onWritten` starts.
 */
export function afterSamplesWritten(
  sink: SampleSink,
  onWritten: (orgId: string, batch: DecodedBatch) => void,
): SampleSink {
  return {
    async write(orgId, batch) {
      const outcome = await sink.write(orgId, batch);
      if (outcome.samplesWritten > 0) onWritten(orgId, batch);
      return outcome;
    },
  };
}
