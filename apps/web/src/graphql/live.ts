'use client';

import { createClient, type Client } from 'graphql-ws';
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import type { Operation } from './operations';

/**
 * http(s)://host:port/… → ws(s)://host:port/graphql. The Next proxy cannot carry WebSockets, so
 * the browser connects to the api's public address directly; the session cookie goes along on
 * the handshake because cookies are scoped by host, not port.
 */
export function toWebSocketUrl(publicApiUrl: string): string {
  const url = new URL(publicApiUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/graphql`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The WebSocket address this page can use with its session, or null when it has none. The
 * session cookie belongs to the page's host name (the web app sets it through its /graphql
 * proxy), and cookies ignore ports, so the socket carries it only to that same host name. A
 * loopback api is reached under the page's own loopback name (open the app at 127.0.0.1 with
 * PUBLIC_API_URL=http://localhost:4000 and it still works); any other host name would arrive
 * without the cookie, be refused, and retry forever, so it is not tried at all.
 */
export function sessionSocketUrl(wsUrl: string, pageHostname: string): string | null {
  const url = new URL(wsUrl);
  if (url.hostname === pageHostname) return url.toString();
  const page =
    pageHostname.includes(':') && !pageHostname.startsWith('[')
      ? `[${pageHostname}]`
      : pageHostname;
  if (LOOPBACK.has(url.hostname) && LOOPBACK.has(page)) {
    url.hostname = page;
    return url.toString();
  }
  return null;
}

export const LiveUrlContext = createContext<string | null>(null);

// One socket per tab, shared by every subscription on the page (graphql-ws multiplexes).
let shared: { url: string; client: Client } | null = null;

function clientFor(url: string): Client {
  if (shared?.url === url) return shared.client;
  shared?.client.dispose();
  const client = createClient({
    url,
    lazy: true,
    // Keep trying while the api restarts or the laptop sleeps; the page shows the status.
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      await new Promise((r) => setTimeout(r, Math.min(1_000 * 2 ** retries, 15_000)));
    },
  });
  shared = { url, client };
  return client;
}

/** `unavailable`: the api's address is on another host name, where the session cannot follow. */
export type LiveStatus = 'connecting' | 'live' | 'offline' | 'unavailable';

/**
 * Subscribes while the component is mounted; each event goes to `onData`. The status lets the
 * page say whether what it shows is live, so nobody trusts a frozen list.
 */
export function useSubscription<TData, TVariables>(
  operation: Operation<TData, TVariables>,
  onData: (data: TData) => void,
  { skip = false }: { skip?: boolean } = {},
): LiveStatus {
  const url = useContext(LiveUrlContext);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handler = useRef(onData);
  handler.current = onData;

  useEffect(() => {
    if (skip || !url) return;
    // Decided after hydration: the server does not know the host name the visitor typed.
    const socketUrl = sessionSocketUrl(url, window.location.hostname);
    if (!socketUrl) {
      setStatus('unavailable');
      return;
    }
    const client = clientFor(socketUrl);
    const offConnected = client.on('connected', () => setStatus('live'));
    const offClosed = client.on('closed', () => setStatus('offline'));
    const unsubscribe = client.subscribe<TData>(
      { query: operation.toString() },
      {
        next: (value) => {
          setStatus('live');
          if (value.data) handler.current(value.data as TData);
        },
        error: () => setStatus('offline'),
        complete: () => undefined,
      },
    );
    return () => {
      unsubscribe();
      offConnected();
      offClosed();
    };
  }, [operation, url, skip]);

  return url ? status : 'offline';
}
