import { cookies } from 'next/headers';
import { cache } from 'react';
import { request } from './client';
import { ME_QUERY, type Me, type Operation } from './operations';

export const SESSION_COOKIE = 'tocsin_session';

function apiEndpoint(): string {
  return `${(process.env.API_INTERNAL_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '')}/graphql`;
}

/**
 * Runs an operation from a Server Component as the visitor: their session cookie is forwarded
 * to the api, which applies the same authorization as for browser requests.
 */
export async function serverRequest<TData, TVariables>(
  operation: Operation<TData, TVariables>,
  variables: TVariables,
): Promise<TData> {
  const session = (await cookies()).get(SESSION_COOKIE)?.value;
  return request(operation, variables, {
    endpoint: apiEndpoint(),
    headers: session ? { cookie: `${SESSION_COOKIE}=${encodeURIComponent(session)}` } : {},
  });
}

/** The signed-in person, fetched once per server render however many components ask. */
export const getMe = cache(async (): Promise<Me> => (await serverRequest(ME_QUERY, {})).me);
