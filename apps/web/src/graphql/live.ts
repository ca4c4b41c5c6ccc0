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

export type LiveStatus = 'connecting' | 'live' | 'offline';

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
    const client = clientFor(url);
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
