import type { Role } from '@tocsin/db';

/** What an action needs. Roles and API key scopes grant sets of these. */
export const Permission = {
  OrgRead: 'org:read',
  OrgManage: 'org:manage',
  MembersRead: 'members:read',
  MembersManage: 'members:manage',
  ApiKeysRead: 'apikeys:read',
  ApiKeysManage: 'apikeys:manage',
  AuditRead: 'audit:read',
  MetricsRead: 'metrics:read',
  MetricsIngest: 'metrics:ingest',
  ConfigRead: 'config:read',
  ConfigWrite: 'config:write',
  IncidentsRead: 'incidents:read',
  IncidentsRespond: 'incidents:respond',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

const viewer: Permission[] = [
  Permission.OrgRead,
  Permission.MembersRead,
  Permission.MetricsRead,
  Permission.ConfigRead,
  Permission.IncidentsRead,
];
const responder: Permission[] = [...viewer, Permission.IncidentsRespond];
const editor: Permission[] = [...responder, Permission.ConfigWrite];
const admin: Permission[] = [
  ...editor,
  Permission.OrgManage,
  Permission.MembersManage,
  Permission.ApiKeysRead,
  Permission.ApiKeysManage,
  Permission.AuditRead,
  Permission.MetricsIngest,
];

export const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
  VIEWER: new Set(viewer),
  RESPONDER: new Set(responder),
  EDITOR: new Set(editor),
  ADMIN: new Set(admin),
  OWNER: new Set(admin),
};

/** Roles from most to least powerful; a member may only grant roles at or below their own. */
export const roleRank: Record<Role, number> = { OWNER: 5, ADMIN: 4, EDITOR: 3, RESPONDER: 2, VIEWER: 1 };

export const ApiKeyScope = { Ingest: 'ingest', Read: 'read', Write: 'write', Admin: 'admin' } as const;
export type ApiKeyScope = (typeof ApiKeyScope)[keyof typeof ApiKeyScope];
export const apiKeyScopes: readonly ApiKeyScope[] = ['ingest', 'read', 'write', 'admin'];

/** An API key acts with the union of its scopes; `admin` never includes managing people. */
export function scopePermissions(scopes: readonly string[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const scope of scopes) {
    const granted =
      scope === 'ingest'
        ? [Permission.MetricsIngest]
        : scope === 'read'
          ? viewer
          : scope === 'write'
            ? editor
            : scope === 'admin'
              ? admin.filter((p) => p !== Permission.MembersManage)
              : [];
    for (const p of granted) out.add(p);
  }
  return out;
}
