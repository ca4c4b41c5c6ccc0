'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { useMutation } from '../../../graphql/hooks';
import { SIGN_UP } from '../../../graphql/operations';

import { MIN_PASSWORD_LENGTH } from '../../../lib/passwords';

export function SignupForm() {
  const [form, setForm] = useState({ name: '', email: '', password: '', organizationName: '' });
  const signUp = useMutation(SIGN_UP, { redirectOnUnauthenticated: false });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [key]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await signUp.run({
      input: {
        name: form.name.trim(),
        email: form.email.trim(),
        password: form.password,
        organizationName: form.organizationName.trim(),
      },
    });
    if (result) window.location.assign('/');
  }

  return (
    <form onSubmit={submit} className="form">
      <h1>Create your account</h1>
      <div className="field">
        <label htmlFor="signup-name">Your name</label>
        <input
          id="signup-name"
          autoComplete="name"
          required
          value={form.name}
          onChange={set('name')}
        />
      </div>
      <div className="field">
        <label htmlFor="signup-email">Work email</label>
        <input
          id="signup-email"
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={set('email')}
        />
      </div>
      <div className="field">
        <label htmlFor="signup-password">Password</label>
        <input
          id="signup-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          aria-describedby="signup-password-hint"
          value={form.password}
          onChange={set('password')}
        />
        <p className="hint" id="signup-password-hint">
          At least {MIN_PASSWORD_LENGTH} characters.
        </p>
      </div>
      <div className="field">
        <label htmlFor="signup-org">Organization name</label>
        <input
          id="signup-org"
          autoComplete="organization"
          required
          aria-describedby="signup-org-hint"
          value={form.organizationName}
          onChange={set('organizationName')}
        />
        <p className="hint" id="signup-org-hint">
          Your team or company. You can invite others to it next.
        </p>
      </div>
      <ErrorMessage error={signUp.error} title="Could not create the account" />
      <button
        type="submit"
        className="button button-primary button-block"
        disabled={signUp.pending}
      >
        {signUp.pending ? 'Creating…' : 'Create account'}
      </button>
      <p className="muted">
        Already have an account? <Link href="/login">Log in</Link>
      </p>
    </form>
  );
}
