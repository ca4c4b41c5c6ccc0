import { NextResponse, type NextRequest } from 'next/server';

const SESSION_COOKIE = 'tocsin_session';

// Pages reachable without a session. Everything else under the matcher is the signed-in app.
const PUBLIC_PREFIXES = ['/login', '/signup', '/invite/'];

/**
 * Sends visitors without a session cookie to the login page before rendering anything, with the
 * page to return to. Whether the cookie is still valid is the api's decision, checked by the
 * app layout on each request.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(prefix))) {
    return NextResponse.next();
  }
  if (request.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  const login = new URL('/login', request.url);
  if (pathname !== '/') login.searchParams.set('next', `${pathname}${search}`);
  return NextResponse.redirect(login);
}

export const config = {
  // Not the api proxy, Next's own assets, or files with an extension (favicon, robots.txt).
  matcher: ['/((?!graphql|_next/|.*\\.[a-z0-9]+$).*)'],
};
