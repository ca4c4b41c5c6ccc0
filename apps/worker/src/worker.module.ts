import { Module } from '@nestjs/common';
import { DbModule } from '@tocsin/db';
import { RedisModule } from '@tocsin/queue';
import { TenancyModule } from '@tocsin/tenancy';
import { AlertingWorkerModule } from './alerting/alerting-worker.module';
import { NotifyWorkerModule } from './notify/notify-worker.module';
import { OncallWorkerModule } from './oncall/oncall-worker.module';
import { TsdbJobs } from './tsdb/tsdb-jobs';
import { AlertingDispatchWorkerModule } from './alerting-dispatch/alerting-dispatch-worker.module';
import { ProbesWorkerModule } from './probes/probes-worker.module';

/** The worker: BullMQ processors only, no HTTP. Stateless; run as many as you like. */
@Module({
  imports: [DbModule, RedisModule, TenancyModule, OncallWorkerModule, NotifyWorkerModule, AlertingWorkerModule, AlertingDispatchWorkerModule, ProbesWorkerModule],
  providers: [TsdbJobs],
})
export class WorkerModule {}
