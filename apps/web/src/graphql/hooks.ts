'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, request, toApiError } from './client';
import type { Operation } from './operations';

/** Sends the browser to the login page, coming back here afterwards. */
export function redirectToLogin(): void {
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/login?next=${encodeURIComponent(here)}`);
}

function handleUnauthenticated(error: ApiError): void {
  if (error.code === 'UNAUTHENTICATED') redirectToLogin();
}

export interface QueryState<TData> {
  data: TData | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Loads an operation when the component mounts and whenever the variables change. An expired
 * session sends the visitor to log in instead of showing an error.
 */
export function useQuery<TData, TVariables>(
  operation: Operation<TData, TVariables>,
  variables: TVariables,
  { skip = false }: { skip?: boolean } = {},
): QueryState<TData> {
  const [data, setData] = useState<TData>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(!skip);
  const key = JSON.stringify(variables);
  const controller = useRef<AbortController | null>(null);

  const load = useCallback(async () => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setLoading(true);
    try {
      const result = await request(operation, JSON.parse(key) as TVariables, {
        signal: current.signal,
      });
      if (current.signal.aborted) return;
      setData(result);
      setError(undefined);
    } catch (caught) {
      if (current.signal.aborted) return;
      const apiError = toApiError(caught);
      handleUnauthenticated(apiError);
      setError(apiError);
    } finally {
      if (!current.signal.aborted) setLoading(false);
    }
  }, [operation, key]);

  useEffect(() => {
    if (skip) return;
    void load();
    return () => controller.current?.abort();
  }, [load, skip]);

  return { data, error, loading, reload: load };
}

export interface MutationState<TData, TVariables> {
  run: (variables: TVariables) => Promise<TData | undefined>;
  error: ApiError | undefined;
  pending: boolean;
  reset: () => void;
}

/**
 * Wraps a mutation: `run` resolves to the data, or to undefined after recording the error, so
 * callers branch on the result instead of wrapping every call in try/catch.
 */
export function useMutation<TData, TVariables>(
  operation: Operation<TData, TVariables>,
  { redirectOnUnauthenticated = true }: { redirectOnUnauthenticated?: boolean } = {},
): MutationState<TData, TVariables> {
  const [error, setError] = useState<ApiError>();
  const [pending, setPending] = useState(false);
  const run = useCallback(
    async (variables: TVariables) => {
      setPending(true);
      setError(undefined);
      try {
        return await request(operation, variables);
      } catch (caught) {
        const apiError = toApiError(caught);
        if (redirectOnUnauthenticated) handleUnauthenticated(apiError);
        setError(apiError);
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [operation, redirectOnUnauthenticated],
  );
  return { run, error, pending, reset: useCallback(() => setError(undefined), []) };
}
