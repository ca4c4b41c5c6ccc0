/**
 * The port through which on-call reaches a person at a bare address. Its shape is notify's
 * `DeliveryService.enqueueDirect`, so the adapter to notify is a one-liner once notify lands;
 * until then `DirectPageSender` implements it (paging/direct-page-sender.ts).
 */
export interface DirectPage {
  orgId: string;
  /** Deterministic: a retried page with the same key is delivered once. */
  idempotencyKey: string;
  target: { kind: 'email' | 'sms' | 'voice'; address: string };
  message: { subject: string; text: string; html?: string; voiceText?: string; voiceUrl?: string };
  source: { incidentId?: string; pageId?: string; contactMethodId?: string; purpose?: 'page' | 'verify' };
}

export interface PageSender {
  /** Queues the page for delivery after the caller's transaction committed; resolves once queued. */
  enqueue(page: DirectPage): Promise<void>;
}

export const PAGE_SENDER = Symbol('PAGE_SENDER');
