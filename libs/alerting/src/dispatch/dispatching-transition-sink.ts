import { Injectable, Logger } from '@nestjs/common';
import {
  AlertTransitionSink,
  PublishingTransitionSink,
  type AlertTransition,
} from '../alerts/alert-transition';
import { DispatchQueues } from './dispatch-queue';
import { DispatchService } from './dispatch.service';
import { alertsFromTransitions, type DispatchJob } from './dispatch.types';
import { hashKey } from '../routing/route-tree';

/**
 * The AlertTransitionSink the evaluator gets once dispatch is wired: part 1's publishing sink
 * (pub/sub for subscriptions) first, then routing and notification. Dispatch runs inline for
 * latency; when it fails, the same alerts go to the alert-dispatch queue, where the job retries
 * with backoff — dispatch is idempotent per transition, so a partial first attempt does no harm.
 */
@Injectable()
export class DispatchingTransitionSink extends AlertTransitionSink {
  private readonly logger = new Logger('dispatch-sink');

  constructor(
    private readonly publishing: PublishingTransitionSink,
    private readonly dispatcher: DispatchService,
    private readonly queues: DispatchQueues,
  ) {
    super();
  }

  async onTransitions(orgId: string, transitions: AlertTransition[]): Promise<void> {
    const published = this.publishing
      .onTransitions(orgId, transitions)
      .catch((err: Error) => this.logger.warn(`publish failed: ${err.message}`));
    const alerts = alertsFromTransitions(transitions);
    if (alerts.length) {
      try {
        await this.dispatcher.dispatch(orgId, alerts);
      } catch (err) {
        this.logger.warn(`inline dispatch failed, queued for retry: ${(err as Error).message}`);
        const id = hashKey(
          orgId,
          ...alerts.map((a) => `${a.alertId}:${a.status}:${a.startsAt}:${a.endsAt ?? ''}`),
        );
        const job: DispatchJob = { kind: 'dispatch', orgId, alerts };
        await this.queues.dispatch.add('dispatch', job, { jobId: `dispatch-${orgId}-${id}` });
      }
    }
    await published;
  }
}
