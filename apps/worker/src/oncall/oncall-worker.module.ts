import { Module } from '@nestjs/common';
import { OncallCoreModule } from '@tocsin/oncall';
import { OncallEscalateProcessor } from './oncall-escalate.processor';

/** On-call processors; needs DbModule, RedisModule and TenancyModule from the worker. */
@Module({ imports: [OncallCoreModule], providers: [OncallEscalateProcessor] })
export class OncallWorkerModule {}
