import { Module } from '@nestjs/common';
import { ProbesModule } from '@tocsin/probes';
import { HeartbeatController } from './heartbeat.controller';
import { StatusPageController } from './status-page.controller';

/** Probes' GraphQL resolvers, the heartbeat push route and the public status pages. */
@Module({ imports: [ProbesModule], controllers: [HeartbeatController, StatusPageController] })
export class ProbesHttpModule {}
