import type { Role } from '../graphql/operations';

// The api enforces every permission; the web app only hides controls that would be refused,
// so a VIEWER never sees a button that can only fail. Keep in step with the api's guards.
const MANAGERS: ReadonlySet<Role> = new Set(['OWNER', 'ADMIN']);

export const canManageMembers = (role: Role | null | undefined): boolean =>
  !!role && MANAGERS.has(role);
export const canManageApiKeys = (role: Role | null | undefined): boolean =>
  !!role && MANAGERS.has(role);
export const canReadAuditLog = (role: Role | null | undefined): boolean =>
  !!role && MANAGERS.has(role);

/** Roles a person may hand out: only an owner can make another owner. */
export function assignableRoles(role: Role | null | undefined): Role[] {
  if (role === 'OWNER') return ['OWNER', 'ADMIN', 'EDITOR', 'RESPONDER', 'VIEWER'];
  if (role === 'ADMIN') return ['ADMIN', 'EDITOR', 'RESPONDER', 'VIEWER'];
  return [];
}

export const ROLE_LABELS: Record<Role, string> = {
  OWNER: 'Owner',
  ADMIN: 'Admin',
  EDITOR: 'Editor',
  RESPONDER: 'Responder',
  VIEWER: 'Viewer',
};

// Rules, channels, schedules: EDITOR and above (the api's ConfigWrite permission).
const EDITORS: ReadonlySet<Role> = new Set(['OWNER', 'ADMIN', 'EDITOR']);
export const canEditConfig = (role: Role | null | undefined): boolean =>
  !!role && EDITORS.has(role);
