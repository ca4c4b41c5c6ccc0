import { Module } from '@nestjs/common';
import { ProbesModule } from '@tocsin/probes';

/** Probes' GraphQL resolvers, the heartbeat push route and the public status pages. */
@Module({ imports: [ProbesModule] })
export class ProbesHttpModule {}
