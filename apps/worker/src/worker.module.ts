import { Module } from '@nestjs/common';
import { DbModule } from '@tocsin/db';
import { RedisModule } from '@tocsin/queue';
import { TenancyModule } from '@tocsin/tenancy';
import { TsdbJobs } from './tsdb/tsdb-jobs';

/** The worker: BullMQ processors only, no HTTP. Stateless; run as many as you like. */
@Module({
  imports: [DbModule, RedisModule, TenancyModule],
  providers: [TsdbJobs],
})
export class WorkerModule {}
