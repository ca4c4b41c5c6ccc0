import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { AlertingModule } from '@tocsin/alerting';
import { AuthMiddleware, AuthModule, Authenticator } from '@tocsin/auth';
import { DbModule } from '@tocsin/db';
import { NotifyApiModule } from '@tocsin/notify';
import { PromqlModule } from '@tocsin/promql';
import { RedisModule } from '@tocsin/queue';
import { AccessGuard, ContextInterceptor, TenancyModule } from '@tocsin/tenancy';
import { graphqlOptions } from './graphql/graphql-options';
import { HealthController } from './health/health.controller';
import { PrometheusApiController } from './query/prometheus-api.controller';
import { MetricsModule } from './health/metrics.module';
import { MetricsService } from './health/metrics.service';
import { HttpMetricsMiddleware } from './health/http-metrics.middleware';
import { IngestModule } from './ingest/ingest.module';
import { AlertIntakeModule } from './alert-intake/alert-intake.module';
import { OncallHttpModule } from './oncall/oncall-http.module';
import { ProbesHttpModule } from './probes/probes-http.module';

@Module({
  imports: [
    DbModule,
    RedisModule,
    TenancyModule,
    AuthModule,
    MetricsModule,
    PromqlModule,
    IngestModule,
    AlertIntakeModule,
    OncallHttpModule,
    NotifyApiModule,
    AlertingModule,
    ProbesHttpModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [AuthModule, MetricsModule],
      inject: [Authenticator, MetricsService],
      useFactory: graphqlOptions,
    }),
  ],
  controllers: [HealthController, PrometheusApiController],
  providers: [
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_INTERCEPTOR, useClass: ContextInterceptor },
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware, AuthMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
