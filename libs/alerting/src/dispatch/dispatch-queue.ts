import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName, createQueue, type AlertGroupIncidentJob, type NotifyJob } from '@tocsin/queue';
import type { AlertDispatchJob } from './dispatch.types';

/** The queues dispatch writes to, created lazily so processes that never dispatch open no connections. */
@Injectable()
export class DispatchQueues implements OnModuleDestroy {
  private dispatchQ?: Queue<AlertDispatchJob>;
  private notifyQ?: Queue<NotifyJob>;
  private oncallQ?: Queue<AlertGroupIncidentJob>;

  get dispatch(): Queue<AlertDispatchJob> {
    return (this.dispatchQ ??= createQueue<AlertDispatchJob>(QueueName.AlertDispatch));
  }
  get notify(): Queue<NotifyJob> {
    return (this.notifyQ ??= createQueue<NotifyJob>(QueueName.Notify));
  }
  get oncall(): Queue<AlertGroupIncidentJob> {
    return (this.oncallQ ??= createQueue<AlertGroupIncidentJob>(QueueName.OncallEscalate));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.dispatchQ?.close(), this.notifyQ?.close(), this.oncallQ?.close()]);
  }
}
