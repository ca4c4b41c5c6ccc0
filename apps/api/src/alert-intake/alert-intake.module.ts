import { Module } from '@nestjs/common';
import { AlertingModule } from '@tocsin/alerting';
import { AlertIntakeController } from './alert-intake.controller';

/** Alert intake routes; importing AlertingModule also mounts alerting's GraphQL (Nest dedupes the module). */
@Module({ imports: [AlertingModule], controllers: [AlertIntakeController] })
export class AlertIntakeModule {}
