import { Injectable } from '@nestjs/common';
import type { SendResult } from '../notifier';
import type { AnyNotifyJob } from './delivery-jobs';

export type FencedResult = SendResult | { cancelled: string };

/**
 * Wraps the send of the jobs it is responsible for, or returns undefined for the others. A fence
 * may call the send off, or hold a lock across it: on-call holds the incident row so an
 * acknowledgement commits either before the check (no page) or after the page has left.
 */
export type SendFence = (job: AnyNotifyJob, send: () => Promise<SendResult>) => Promise<FencedResult> | undefined;

/** Higher domains register fences here; notify cannot know their rules (it sits below them). */
@Injectable()
export class SendFences {
  private readonly fences: SendFence[] = [];

  register(fence: SendFence): void {
    this.fences.push(fence);
  }

  async around(job: AnyNotifyJob, send: () => Promise<SendResult>): Promise<FencedResult> {
    for (const fence of this.fences) {
      const fenced = fence(job, send);
      if (fenced) return fenced;
    }
    return send();
  }
}
