'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { Role } from '../graphql/operations';
import { canManageApiKeys, canReadAuditLog } from '../lib/permissions';
import { useMe } from './me-context';

const MAIN = [
  { href: '/', label: 'Home' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/incidents', label: 'Incidents' },
  { href: '/explore', label: 'Explore' },
  { href: '/dashboards', label: 'Dashboards' },
  { href: '/rules', label: 'Rules' },
  { href: '/silences', label: 'Silences' },
  { href: '/oncall', label: 'On-call' },
  { href: '/channels', label: 'Channels' },
  { href: '/notifications', label: 'Notifications' },
  { href: '/probes', label: 'Probes' },
];

// Entries a role cannot use are left out; the pages still explain themselves if visited.
const SETTINGS: Array<{ href: string; label: string; visible: (role: Role | null) => boolean }> = [
  { href: '/settings/members', label: 'Members', visible: () => true },
  { href: '/settings/api-keys', label: 'API keys', visible: canManageApiKeys },
  { href: '/settings/limits', label: 'Limits and usage', visible: () => true },
  { href: '/settings/audit-log', label: 'Audit log', visible: canReadAuditLog },
];

function NavLink({ href, label, pathname }: { href: string; label: string; pathname: string }) {
  const active = href === '/' ? pathname === '/' : pathname.startsWith(href);
  return (
    <li>
      <Link href={href} className="nav-link" aria-current={active ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
}

export function SideNav() {
  const pathname = usePathname() ?? '/';
  const { role } = useMe();
  return (
    <nav className="side-nav" aria-label="Main">
      <ul>
        {MAIN.map((item) => (
          <NavLink key={item.href} {...item} pathname={pathname} />
        ))}
      </ul>
      <p className="nav-heading" id="nav-settings">
        Settings
      </p>
      <ul aria-labelledby="nav-settings">
        {SETTINGS.filter((item) => item.visible(role)).map((item) => (
          <NavLink key={item.href} href={item.href} label={item.label} pathname={pathname} />
        ))}
      </ul>
    </nav>
  );
}
