import { Module } from '@nestjs/common';
import { AlertingCoreModule } from '@tocsin/alerting';
import { AlertDispatchProcessor } from './alert-dispatch.processor';

@Module({ imports: [AlertingCoreModule], providers: [AlertDispatchProcessor] })
export class AlertingDispatchWorkerModule {}
