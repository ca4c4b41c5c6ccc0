import { Module } from '@nestjs/common';
import { NotifyModule } from '@tocsin/notify';
import { NotifyProcessor } from './notify.processor';

@Module({ imports: [NotifyModule], providers: [NotifyProcessor] })
export class NotifyWorkerModule {}
