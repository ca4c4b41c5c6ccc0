import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Logger } from '@nestjs/common';
import type { ApolloServerPlugin } from '@apollo/server';
import { loadConfig } from '@tocsin/config';
import { AppError, formatGraphQLError, queryLimitsRule } from '@tocsin/graphql';
import type { Authenticator } from '@tocsin/auth';
import { SESSION_COOKIE } from '@tocsin/auth';
import type { MetricsService } from '../health/metrics.service';

const logger = new Logger('GraphQL');

interface WsExtra {
  request: { headers: Record<string, string | undefined>; socket?: { remoteAddress?: string } };
  auth?: unknown;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function metricsPlugin(metrics: MetricsService): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const end = process.hrtime.bigint();
      return {
        async willSendResponse(ctx) {
          const seconds = Number(process.hrtime.bigint() - end) / 1e9;
          metrics.graphqlDuration.observe(
            {
              type: ctx.operation?.operation ?? 'unknown',
              operation: ctx.operationName ?? 'anonymous',
              outcome: ctx.errors?.length ? 'error' : 'ok',
            },
            seconds,
          );
        },
      };
    },
  };
}

/** Apollo, code-first, with limits applied before any resolver runs and subscriptions over graphql-ws. */
export function graphqlOptions(authenticator: Authenticator, metrics: MetricsService): ApolloDriverConfig {
  const config = loadConfig();
  return {
    driver: ApolloDriver,
    autoSchemaFile: process.env.TOCSIN_SCHEMA_FILE ?? true,
    sortSchema: true,
    path: '/graphql',
    introspection: config.introspection,
    graphiql: config.introspection,
    playground: false,
    // Batched requests would multiply every per-request limit.
    allowBatchedHttpRequests: false,
    validationRules: [
      queryLimitsRule({ maxDepth: config.GRAPHQL_MAX_DEPTH, maxAliases: config.GRAPHQL_MAX_ALIASES, maxCost: config.GRAPHQL_MAX_COST }),
    ],
    formatError: (formatted, error) => formatGraphQLError(formatted, error, (err) => logger.error(err)),
    plugins: [metricsPlugin(metrics)],
    context: ({ req, res, extra }: { req?: unknown; res?: unknown; extra?: { auth?: unknown } }) =>
      req ? { req, res } : { req: { auth: extra?.auth ?? null } },
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        // The handshake carries the web's cookie, or `{ authorization: 'Bearer …' }` in connectionParams.
        onConnect: async (ctx) => {
          const params = ctx.connectionParams ?? {};
          const extra = ctx.extra as WsExtra;
          const authorization =
            (typeof params.authorization === 'string' && params.authorization) ||
            (typeof params.Authorization === 'string' && params.Authorization) ||
            undefined;
          const auth = await authenticator.authenticate({
            authorization,
            cookie: cookieValue(extra.request.headers.cookie, SESSION_COOKIE),
            ip: extra.request.socket?.remoteAddress,
          });
          if (!auth) throw AppError.unauthenticated();
          extra.auth = auth;
          return true;
        },
      },
    },
  };
}
