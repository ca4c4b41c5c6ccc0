'use client';

import { createContext, useContext, type ReactNode } from 'react';
import { LiveUrlContext, toWebSocketUrl, type LiveStatus } from '../graphql/live';

const PublicApiUrlContext = createContext('http://localhost:4000');

/** Where agents and Prometheus reach the api, for ready-to-paste snippets. */
export function usePublicApiUrl(): string {
  return useContext(PublicApiUrlContext).replace(/\/+$/, '');
}

/** Gives client components the api's WebSocket address, read by the server at request time. */
export function LiveProvider({
  publicApiUrl,
  children,
}: {
  publicApiUrl: string;
  children: ReactNode;
}) {
  let url: string | null = null;
  try {
    url = toWebSocketUrl(publicApiUrl);
  } catch {
    // A malformed PUBLIC_API_URL leaves pages working, just without live updates.
    url = null;
  }
  return (
    <PublicApiUrlContext.Provider value={publicApiUrl}>
      <LiveUrlContext.Provider value={url}>{children}</LiveUrlContext.Provider>
    </PublicApiUrlContext.Provider>
  );
}

const STATUS_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Offline — reconnecting; reload to refresh',
  unavailable: 'Not live — reload to refresh',
};

const STATUS_HELP: Partial<Record<LiveStatus, string>> = {
  unavailable:
    'Live updates need the api on the same host name as this page (PUBLIC_API_URL). See apps/web/README.md.',
};

/** A small badge saying whether the list updates by itself. */
export function LiveBadge({ status }: { status: LiveStatus }) {
  return (
    <span
      className={`badge live-${status}`}
      role="status"
      data-testid="live-status"
      title={STATUS_HELP[status]}
    >
      <span aria-hidden="true">●</span> {STATUS_TEXT[status]}
    </span>
  );
}
