import type { ApiError, ApiErrorCode } from '../graphql/client';

/**
 * The api's message and what to do about it, announced to screen readers. `hints` replaces the
 * generic next step where the page knows better (a failed login is not an ended session).
 */
export function ErrorMessage({
  error,
  title,
  hints,
}: {
  error: ApiError | undefined;
  title?: string;
  hints?: Partial<Record<ApiErrorCode, string>>;
}) {
  if (!error) return null;
  const nextStep = hints?.[error.code] ?? error.nextStep;
  return (
    <div className="callout callout-error" role="alert">
      {title ? <p className="callout-title">{title}</p> : null}
      <p>{error.message}</p>
      {nextStep ? <p className="muted">{nextStep}</p> : null}
    </div>
  );
}
