import type { ApiError } from '../graphql/client';

/** The api's message and what to do about it, announced to screen readers. */
export function ErrorMessage({ error, title }: { error: ApiError | undefined; title?: string }) {
  if (!error) return null;
  return (
    <div className="callout callout-error" role="alert">
      {title ? <p className="callout-title">{title}</p> : null}
      <p>{error.message}</p>
      <p className="muted">{error.nextStep}</p>
    </div>
  );
}
