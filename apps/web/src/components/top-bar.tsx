'use client';

import Link from 'next/link';
import { useEffect, useId, useRef } from 'react';
import { useMutation } from '../graphql/hooks';
import { LOG_OUT, SWITCH_ORGANIZATION } from '../graphql/operations';
import { ROLE_LABELS } from '../lib/permissions';
import { ErrorMessage } from './error-message';
import { useMe } from './me-context';

function OrganizationSwitcher() {
  const me = useMe();
  const id = useId();
  const switchOrganization = useMutation(SWITCH_ORGANIZATION);
  const current = me.currentOrganization;

  if (me.organizations.length <= 1) {
    return <span className="org-name">{current?.name ?? 'No organization'}</span>;
  }
  return (
    <div className="org-switcher">
      <label htmlFor={id} className="visually-hidden">
        Organization
      </label>
      <select
        id={id}
        value={current?.id ?? ''}
        disabled={switchOrganization.pending}
        onChange={async (event) => {
          const result = await switchOrganization.run({ organizationId: event.target.value });
          // Everything on screen belongs to the previous organization: start over from Home.
          if (result) window.location.assign('/');
        }}
      >
        {current ? null : <option value="">Choose an organization</option>}
        {me.organizations.map(({ organization, role }) => (
          <option key={organization.id} value={organization.id}>
            {organization.name} ({ROLE_LABELS[role]})
          </option>
        ))}
      </select>
      <ErrorMessage error={switchOrganization.error} />
    </div>
  );
}

function UserMenu() {
  const me = useMe();
  // An already-expired session ends on the login page as well, via the UNAUTHENTICATED redirect.
  const logOut = useMutation(LOG_OUT);
  const menu = useRef<HTMLDetailsElement>(null);

  // <details> gives a keyboard-operable menu for free; closing it on Escape and on a click
  // elsewhere makes it behave like the menus people expect.
  useEffect(() => {
    const close = (event: Event) => {
      const details = menu.current;
      if (!details?.open) return;
      if (event instanceof KeyboardEvent && event.key === 'Escape') {
        details.open = false;
        details.querySelector('summary')?.focus();
      } else if (event.type === 'pointerdown' && !details.contains(event.target as Node)) {
        details.open = false;
      }
    };
    document.addEventListener('keydown', close);
    document.addEventListener('pointerdown', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('pointerdown', close);
    };
  }, []);

  return (
    <details className="user-menu" ref={menu}>
      <summary aria-label={`Account menu for ${me.user.name}`}>
        <span className="avatar" aria-hidden="true">
          {me.user.name.trim().charAt(0).toUpperCase() || '?'}
        </span>
        <span className="user-name">{me.user.name}</span>
      </summary>
      <div className="menu">
        <p className="menu-identity">
          <strong>{me.user.name}</strong>
          <span className="muted">{me.user.email}</span>
          {me.role ? <span className="muted">{ROLE_LABELS[me.role]}</span> : null}
        </p>
        <button
          type="button"
          className="button button-quiet menu-item"
          disabled={logOut.pending}
          onClick={async () => {
            if (await logOut.run({})) window.location.assign('/login');
          }}
        >
          Log out
        </button>
        <ErrorMessage error={logOut.error} />
      </div>
    </details>
  );
}

export function TopBar() {
  return (
    <header className="top-bar">
      <Link href="/" className="brand">
        <span aria-hidden="true" className="brand-mark">
          ◆
        </span>{' '}
        Tocsin
      </Link>
      <OrganizationSwitcher />
      <div className="top-bar-spacer" />
      <UserMenu />
    </header>
  );
}
