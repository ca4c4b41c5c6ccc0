import { Injectable } from '@nestjs/common';
import { OncallQueue } from '../oncall-queue';
import type { DirectPage, PageSender } from './page-sender';

/**
 * The interim PageSender: a `deliver-page` job on `oncall-escalate`, delivered by
 * EscalationService.deliver through DirectTransport. To switch to libs/notify, provide
 * PAGE_SENDER as `{ enqueue: (p) => delivery.enqueueDirect(p) }` in oncall.module.ts.
 */
@Injectable()
export class DirectPageSender implements PageSender {
  constructor(private readonly queue: OncallQueue) {}

  enqueue(page: DirectPage): Promise<void> {
    return this.queue.deliver(page);
  }
}
