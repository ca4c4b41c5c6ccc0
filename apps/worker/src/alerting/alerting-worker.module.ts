import { Module } from '@nestjs/common';
import { AlertingCoreModule } from '@tocsin/alerting';
import { AlertEvaluateProcessor } from './alert-evaluate.processor';

@Module({ imports: [AlertingCoreModule], providers: [AlertEvaluateProcessor] })
export class AlertingWorkerModule {}
