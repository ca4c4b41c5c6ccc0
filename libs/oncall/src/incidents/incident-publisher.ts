import { Inject, Injectable, Logger } from '@nestjs/common';
import { PUB_SUB, type RedisPubSub } from '@tocsin/queue';
import type { IncidentRow } from './incident-lock';

export const incidentsTopic = (orgId: string) => `incidents:${orgId}`;

export interface IncidentUpdatedEvent {
  orgId: string;
  incident: IncidentRow;
}

/** Publishes after commit; a lost event costs a live view one refresh, never a page. */
@Injectable()
export class IncidentPublisher {
  private readonly logger = new Logger('oncall');

  constructor(@Inject(PUB_SUB) private readonly pubsub: RedisPubSub) {}

  async updated(incident: IncidentRow): Promise<void> {
    await this.pubsub
      .publish(incidentsTopic(incident.orgId), {
        orgId: incident.orgId,
        incident,
      } satisfies IncidentUpdatedEvent)
      .catch((err: Error) => this.logger.warn(`incident event not published: ${err.message}`));
  }
}
