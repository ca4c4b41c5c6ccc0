import type { Server } from 'node:http';

/**
 * How long an api process keeps an idle keep-alive connection open. Node's default is 5 s: a
 * dashboard refreshing less often than that (Grafana's shortest choice is 5 s; Grafana's own
 * client keeps idle connections for 90 s) opened a new connection for every refresh, and a
 * request sent just as the server closed its connection failed with a reset. Behind a load
 * balancer this must also exceed the balancer's idle timeout (AWS ALB: 60 s), or the balancer
 * reuses connections the api has already closed. Prometheus keeps idle connections for its
 * read timeout, 5 minutes by default.
 */
export const KEEP_ALIVE_MS = 65_000;

/** Settings of the api's HTTP server, applied before it listens. */
export function configureHttpServer(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
}
