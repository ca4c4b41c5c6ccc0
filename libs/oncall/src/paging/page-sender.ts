/**
 * The port through which on-call reaches a person at a bare address. It is libs/notify's
 * `DeliveryService.enqueueDirect` (see notify-page-sender.ts); tests or another deployment may
 * provide PAGE_SENDER differently.
 */
export interface DirectPage {
  orgId: string;
  /** Deterministic: a retried page with the same key is delivered once. */
  idempotencyKey: string;
  target: { kind: 'email' | 'sms' | 'voice'; address: string };
  message: { subject: string; text: string; html?: string; voiceText?: string; voiceUrl?: string };
  source: {
    incidentId?: string;
    pageId?: string;
    contactMethodId?: string;
    purpose?: 'page' | 'verify';
  };
}

export interface PageSender {
  /** Queues the page for delivery; call after the transaction that decided it has committed. */
  enqueue(page: DirectPage): Promise<{ deliveryId: string; status: string }>;
}

export const PAGE_SENDER = Symbol('PAGE_SENDER');
