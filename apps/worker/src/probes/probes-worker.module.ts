import { Module } from '@nestjs/common';
import { ProbesCoreModule } from '@tocsin/probes';
import { ProbeProcessor } from './probe.processor';

@Module({ imports: [ProbesCoreModule], providers: [ProbeProcessor] })
export class ProbesWorkerModule {}
