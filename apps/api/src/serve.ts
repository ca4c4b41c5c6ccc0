import cluster from 'node:cluster';
import type { Server, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@tocsin/config';
import { createApiApp } from './create-app';
import { answerMetricsRequests } from './cluster/metrics-ipc';
import { MetricsService } from './health/metrics.service';
import { configureHttpServer } from './http-server';

/** How long a stopping process lets accepted requests finish before it closes them. */
export const DRAIN_MS = 20_000;

/**
 * Runs one api process: listens on API_PORT (under node:cluster, the primary's shared socket)
 * and, on SIGTERM or SIGINT, stops accepting, lets the requests it has accepted finish, and only
 * then closes the application. Nest's own shutdown hook closes the modules (database pools,
 * Redis) before the HTTP server, which fails a request still in flight.
 */
export async function serveApi(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('api');
  const app = await createApiApp();
  const server = app.getHttpServer() as Server;
  configureHttpServer(server);

  const active = new Set<ServerResponse>();
  let stopping = false;
  let drained: (() => void) | undefined;
  server.on('request', (_req, res: ServerResponse) => {
    // Accepted while stopping (a keep-alive connection's next request): still answered, then
    // the connection closes so the client opens its next one to a process that stays.
    if (stopping && !res.headersSent) res.setHeader('Connection', 'close');
    active.add(res);
    res.once('close', () => {
      active.delete(res);
      if (active.size === 0) drained?.();
    });
  });

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: no new connections; finishing ${active.size} request(s)`);
    server.close();
    for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
    server.closeIdleConnections();
    if (active.size > 0) {
      await new Promise<void>((resolve) => {
        drained = resolve;
        setTimeout(() => {
          logger.warn(`${active.size} request(s) still open after ${DRAIN_MS} ms; closing them`);
          resolve();
        }, DRAIN_MS).unref();
      });
    }
    server.closeAllConnections();
    await app.close();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, (s) => void stop(s));

  if (cluster.isWorker) answerMetricsRequests(app.get(MetricsService).registry);
  await app.listen(config.API_PORT, config.API_HOST);
  logger.log(`GraphQL on http://localhost:${config.API_PORT}/graphql`);
}
