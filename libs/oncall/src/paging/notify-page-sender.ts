import { Injectable } from '@nestjs/common';
import { DeliveryService } from '@tocsin/notify';
import type { DirectPage, PageSender } from './page-sender';

/** Pages go out through notify's direct deliveries (deployment SMTP/Twilio), logged in its delivery log. */
@Injectable()
export class NotifyPageSender implements PageSender {
  constructor(private readonly delivery: DeliveryService) {}

  enqueue(page: DirectPage): Promise<{ deliveryId: string; status: string }> {
    return this.delivery.enqueueDirect({
      orgId: page.orgId,
      idempotencyKey: page.idempotencyKey,
      target: page.target,
      message: page.message,
      source: { ...page.source },
    });
  }
}
