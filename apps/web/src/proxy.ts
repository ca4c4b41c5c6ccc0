import { NextResponse, type NextRequest } from 'next/server';

const SESSION_COOKIE = 'tocsin_session';

function apiGraphqlUrl(search: string): URL {
  const base = (process.env.API_INTERNAL_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  return new URL(`${base}/graphql${search}`);
}

// Pages reachable without a session. Everything else under the matcher is the signed-in app.
const PUBLIC_PREFIXES = ['/login', '/signup', '/invite/'];

/**
 * Two jobs. First, /graphql is proxied to the api, so the browser talks only to this origin and
 * the api's httpOnly session cookie is first-party. This lives here rather than in next.config's
 * rewrites because those are frozen into the build: here API_INTERNAL_URL is read when the
 * server runs, so one build serves any deployment (and the e2e test's api on a free port).
 *
 * Second, it sends visitors without a session cookie to the login page before rendering anything, with the
 * page to return to. Whether the cookie is still valid is the api's decision, checked by the
 * app layout on each request.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname === '/graphql') return NextResponse.rewrite(apiGraphqlUrl(search));
  if (PUBLIC_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(prefix))) {
    return NextResponse.next();
  }
  if (request.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  const login = new URL('/login', request.url);
  if (pathname !== '/') login.searchParams.set('next', `${pathname}${search}`);
  return NextResponse.redirect(login);
}

export const config = {
  // Not Next's own assets, nor files with an extension (favicon, robots.txt).
  matcher: ['/((?!_next/|.*\\.[a-z0-9]+$).*)'],
};
