import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  Module,
  RequestMethod,
  type DynamicModule,
  type INestApplication,
  type MiddlewareConsumer,
  type NestModule,
  type Type,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Client } from 'pg';
import { AuthMiddleware, AuthModule } from '@tocsin/auth';
import { DbModule } from '@tocsin/db';
import { RedisModule } from '@tocsin/queue';
import { AccessGuard, ContextInterceptor, TenancyModule } from '@tocsin/tenancy';
import { useApiBodyParsers } from '../body-parsers';
import { HttpErrorFilter } from '../http-error.filter';

/** The headers a Prometheus remote_write 1.0 sender puts on every request. */
export const REMOTE_WRITE_HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
};

/**
 * Some of the api's HTTP routes as the api serves them — API-key auth, org-scoped access, its body
 * parsers and error filter — without GraphQL, for integration tests over real PostgreSQL and Redis.
 */
export async function startHttpTestApp(
  imports: Array<Type | DynamicModule>,
  controllers: Type[] = [],
): Promise<INestApplication> {
  @Module({
    imports: [DbModule, RedisModule, TenancyModule, AuthModule, ...imports],
    controllers,
    providers: [
      { provide: APP_GUARD, useClass: AccessGuard },
      { provide: APP_INTERCEPTOR, useClass: ContextInterceptor },
    ],
  })
  class HttpTestApp implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(AuthMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
    }
  }
  const nest = await NestFactory.create<NestExpressApplication>(HttpTestApp, {
    bodyParser: false,
    logger: ['error'],
  });
  useApiBodyParsers(nest);
  nest.useGlobalFilters(new HttpErrorFilter());
  return nest.init();
}

/** A new organization (ingestion limits as given) and an API key of it with `scopes`. */
export async function createOrgWithKey(
  owner: Client,
  scopes: string[],
  limits: { rate?: number; burst?: number } = {},
): Promise<{ orgId: string; key: string }> {
  const orgId = randomUUID();
  await owner.query(
    `insert into organizations (id, slug, name, ingestion_rate, ingestion_burst) values ($1, $2, 'o', $3, $4)`,
    [orgId, `s-${orgId}`, limits.rate ?? 10000, limits.burst ?? 200000],
  );
  const key = `tsn_${randomBytes(32).toString('base64url')}`;
  await owner.query(
    `insert into api_keys (id, org_id, name, prefix, secret_hash, scopes) values ($1, $2, 'k', $3, $4, $5)`,
    [randomUUID(), orgId, key.slice(0, 10), createHash('sha256').update(key).digest('hex'), scopes],
  );
  return { orgId, key };
}
