'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { useMutation } from '../../../graphql/hooks';
import { LOG_IN } from '../../../graphql/operations';

export function LoginForm({ next }: { next: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Wrong credentials come back as UNAUTHENTICATED: show them here instead of redirecting.
  const logIn = useMutation(LOG_IN, { redirectOnUnauthenticated: false });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await logIn.run({ input: { email: email.trim(), password } });
    // A full navigation, so the server renders the app with the new session cookie.
    if (result) window.location.assign(next);
  }

  return (
    <form onSubmit={submit} className="form">
      <h1>Log in</h1>
      <div className="field">
        <label htmlFor="login-email">Email</label>
        <input
          id="login-email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <ErrorMessage
        error={logIn.error}
        title="Could not log in"
        hints={{
          UNAUTHENTICATED:
            'Check the email and password. After several failed attempts, logging in pauses for a while.',
        }}
      />
      <button type="submit" className="button button-primary button-block" disabled={logIn.pending}>
        {logIn.pending ? 'Logging in…' : 'Log in'}
      </button>
      <p className="muted">
        New to Tocsin? <Link href="/signup">Create an account</Link>
      </p>
    </form>
  );
}
