import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { LiveProvider } from '../../components/live-provider';
import { MeProvider } from '../../components/me-context';
import { SideNav } from '../../components/side-nav';
import { TopBar } from '../../components/top-bar';
import { ApiError, toApiError } from '../../graphql/client';
import { getMe } from '../../graphql/server-api';
import type { Me } from '../../graphql/operations';

// Every page in here belongs to one person and organization: never prerender or cache it.
export const dynamic = 'force-dynamic';

export default async function AppLayout({ children }: { children: ReactNode }) {
  let me: Me;
  try {
    me = await getMe();
  } catch (caught) {
    const error = toApiError(caught);
    // A cookie the api no longer accepts (expired, logged out elsewhere) ends here; a missing
    // one was already redirected by the proxy, with the page to come back to.
    if (error.code === 'UNAUTHENTICATED') redirect('/login');
    return <Unavailable error={error} />;
  }
  // Read per request, like API_INTERNAL_URL: the browser's WebSocket goes straight to the api.
  const publicApiUrl = process.env.PUBLIC_API_URL ?? 'http://localhost:4000';
  return (
    <MeProvider me={me}>
      <LiveProvider publicApiUrl={publicApiUrl}>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <TopBar />
        <div className="app-body">
          <SideNav />
          <main id="main" className="content" tabIndex={-1}>
            {children}
          </main>
        </div>
      </LiveProvider>
    </MeProvider>
  );
}

function Unavailable({ error }: { error: ApiError }) {
  return (
    <main className="centered">
      <div className="card narrow" role="alert">
        <h1>Tocsin is not available right now</h1>
        <p>{error.message}</p>
        <p className="muted">{error.nextStep}</p>
        <p>
          <a className="button" href="">
            Try again
          </a>
        </p>
      </div>
    </main>
  );
}
