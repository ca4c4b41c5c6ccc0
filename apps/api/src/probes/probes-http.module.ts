import { Module } from '@nestjs/common';
import { ProbesModule } from '@tocsin/probes';
import { HeartbeatController } from './heartbeat.controller';

/** Probes' GraphQL resolvers, the heartbeat push route and the public status pages. */
@Module({ imports: [ProbesModule], controllers: [HeartbeatController] })
export class ProbesHttpModule {}
