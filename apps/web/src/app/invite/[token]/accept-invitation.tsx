'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { useMutation } from '../../../graphql/hooks';
import { ACCEPT_INVITATION, type InvitationPreview, type Me } from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';
import { ROLE_LABELS } from '../../../lib/permissions';
import { MIN_PASSWORD_LENGTH } from '../../../lib/passwords';

export function AcceptInvitation({
  token,
  preview,
  me,
}: {
  token: string;
  preview: InvitationPreview;
  me: Me | null;
}) {
  const accept = useMutation(ACCEPT_INVITATION, { redirectOnUnauthenticated: false });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const here = `/invite/${encodeURIComponent(token)}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = me ? { token } : { token, name: name.trim(), password };
    if (await accept.run({ input })) window.location.assign('/');
  }

  const emailMatches = me ? me.user.email.toLowerCase() === preview.email.toLowerCase() : true;

  return (
    <form className="form" onSubmit={submit}>
      <h1>Join {preview.organizationName}</h1>
      <p>
        You have been invited as <strong>{ROLE_LABELS[preview.role]}</strong> with the email{' '}
        <strong>{preview.email}</strong>.
      </p>
      <p className="muted">This invitation expires {formatDateTime(preview.expiresAt)}.</p>

      {me ? (
        <>
          <p>
            You are logged in as <strong>{me.user.email}</strong>.
          </p>
          {emailMatches ? null : (
            <p className="callout">
              This invitation was sent to a different email address. If it is not meant for this
              account, log out and open the link again.
            </p>
          )}
        </>
      ) : (
        <>
          <p>
            Create your account to accept. Already have one?{' '}
            <Link href={`/login?next=${encodeURIComponent(here)}`}>Log in first</Link>, then come
            back to this link.
          </p>
          <div className="field">
            <label htmlFor="invite-email">Email</label>
            <input
              id="invite-email"
              type="email"
              value={preview.email}
              readOnly
              aria-readonly="true"
            />
          </div>
          <div className="field">
            <label htmlFor="invite-name">Your name</label>
            <input
              id="invite-name"
              autoComplete="name"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="invite-password">Password</label>
            <input
              id="invite-password"
              type="password"
              autoComplete="new-password"
              required
              minLength={MIN_PASSWORD_LENGTH}
              aria-describedby="invite-password-hint"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <p className="hint" id="invite-password-hint">
              At least {MIN_PASSWORD_LENGTH} characters.
            </p>
          </div>
        </>
      )}
      <ErrorMessage
        error={accept.error}
        title="Could not accept the invitation"
        hints={{
          UNAUTHENTICATED:
            'If you already have an account with this email, log in first, then open the link again.',
        }}
      />
      <button
        type="submit"
        className="button button-primary button-block"
        disabled={accept.pending}
      >
        {accept.pending
          ? 'Joining…'
          : me
            ? `Accept and join ${preview.organizationName}`
            : 'Create account and join'}
      </button>
    </form>
  );
}
