import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';

export interface RunningApi {
  url: string;
  app: INestApplication;
  close(): Promise<void>;
}

/**
 * The real api application on a free 127.0.0.1 port, against the test run's database and Redis
 * (set up by test/setup/global-setup.ts). Tests talk to it only over HTTP/WebSocket.
 */
export async function startApi(): Promise<RunningApi> {
  const { createApiApp } = await import('../../../apps/api/src/main');
  const app = await createApiApp();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, app, close: () => app.close() };
}

export interface GqlResult<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; [k: string]: unknown } }>;
  setCookie?: string | null;
}

export interface Caller {
  token?: string;
  cookie?: string;
  basicPassword?: string;
}

export async function gql<T = Record<string, any>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  as: Caller = {},
): Promise<GqlResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (as.token) headers.authorization = `Bearer ${as.token}`;
  if (as.basicPassword) headers.authorization = `Basic ${Buffer.from(`x:${as.basicPassword}`).toString('base64')}`;
  if (as.cookie) headers.cookie = as.cookie;
  const res = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as GqlResult<T>;
  return { ...body, status: res.status, setCookie: res.headers.get('set-cookie') };
}

/** The code of the first error, or 'OK'. */
export function codeOf(result: GqlResult): string {
  return result.errors?.[0]?.extensions?.code ?? 'OK';
}

let counter = 0;
export function uniqueEmail(tag = 'user'): string {
  counter += 1;
  return `${tag}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}@example.com`;
}

export const SIGN_UP = `mutation($input: SignUpInput!) {
  signUp(input: $input) { token me { user { id email } currentOrganization { id slug } role } }
}`;

export interface SignedUp {
  token: string;
  userId: string;
  orgId: string;
  email: string;
}

export async function signUp(baseUrl: string, tag = 'user'): Promise<SignedUp> {
  const email = uniqueEmail(tag);
  const r = await gql(baseUrl, SIGN_UP, {
    input: { email, password: 'correct horse battery', name: tag, organizationName: `${tag} org` },
  });
  if (r.errors) throw new Error(`sign-up failed: ${JSON.stringify(r.errors)}`);
  const p = r.data!.signUp;
  return { token: p.token, userId: p.me.user.id, orgId: p.me.currentOrganization.id, email };
}
