// Every GraphQL operation the web app sends, with its result and variable types written by hand
// against the api's schema. GraphQL codegen will replace the hand-written types later; until
// then, keep each type next to its document so a schema change is one edit here.

/** A GraphQL document tagged with the types of its result and its variables. */
export type Operation<TData, TVariables> = string & {
  readonly __data?: TData;
  readonly __variables?: TVariables;
};

type NoVariables = Record<string, never>;

function operation<TData, TVariables = NoVariables>(
  document: string,
): Operation<TData, TVariables> {
  return document as Operation<TData, TVariables>;
}

// ---- Scalars and enums ------------------------------------------------------------------

/** ISO-8601 timestamp, as the api's DateTime scalar serialises it. */
export type DateTime = string;
export type Json = unknown;

export const ROLES = ['OWNER', 'ADMIN', 'EDITOR', 'RESPONDER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export const API_KEY_SCOPES = ['INGEST', 'READ', 'WRITE', 'ADMIN'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

// ---- Object types -----------------------------------------------------------------------

export interface User {
  id: string;
  email: string;
  name: string;
  timeZone: string;
}

export interface Organization {
  id: string;
  slug: string;
  name: string;
  createdAt: DateTime;
}

export interface OrganizationMembership {
  organization: Organization;
  role: Role;
}

export interface Me {
  user: User;
  organizations: OrganizationMembership[];
  currentOrganization: Organization | null;
  role: Role | null;
}

export interface AuthPayload {
  me: Me;
}

export interface Member {
  user: User;
  role: Role;
  joinedAt: DateTime;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: DateTime;
  createdAt: DateTime;
  acceptedAt: DateTime | null;
}

export interface InvitationLink {
  invitation: Invitation;
  url: string;
}

export interface InvitationPreview {
  organizationName: string;
  email: string;
  role: Role;
  expiresAt: DateTime;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: DateTime;
  lastUsedAt: DateTime | null;
  expiresAt: DateTime | null;
  revokedAt: DateTime | null;
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  secret: string;
}

export interface AuditLogEntry {
  id: string;
  action: string;
  actor: Pick<User, 'id' | 'email' | 'name'> | null;
  apiKeyId: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Json;
  createdAt: DateTime;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

// ---- Fragments --------------------------------------------------------------------------

const ORGANIZATION_FIELDS = 'id slug name createdAt';
const USER_FIELDS = 'id email name timeZone';
const ME_FIELDS = `
  user { ${USER_FIELDS} }
  organizations { role organization { ${ORGANIZATION_FIELDS} } }
  currentOrganization { ${ORGANIZATION_FIELDS} }
  role
`;
const INVITATION_FIELDS = 'id email role expiresAt createdAt acceptedAt';
const API_KEY_FIELDS = 'id name prefix scopes createdAt lastUsedAt expiresAt revokedAt';

// ---- Session ----------------------------------------------------------------------------

export const ME_QUERY = operation<{ me: Me }>(`query Me { me { ${ME_FIELDS} } }`);

// The AuthPayload's token is for API clients without cookies; the browser relies on the
// httpOnly cookie the api sets, so the web app never asks for the token.
export const SIGN_UP = operation<
  { signUp: AuthPayload },
  { input: { email: string; password: string; name: string; organizationName: string } }
>(`mutation SignUp($input: SignUpInput!) { signUp(input: $input) { me { ${ME_FIELDS} } } }`);

export const LOG_IN = operation<
  { logIn: AuthPayload },
  { input: { email: string; password: string } }
>(`mutation LogIn($input: LogInInput!) { logIn(input: $input) { me { ${ME_FIELDS} } } }`);

export const LOG_OUT = operation<{ logOut: boolean }>(`mutation LogOut { logOut }`);

export const SWITCH_ORGANIZATION = operation<
  { switchOrganization: Me },
  { organizationId: string }
>(
  `mutation SwitchOrganization($organizationId: ID!) {
    switchOrganization(organizationId: $organizationId) { ${ME_FIELDS} }
  }`,
);

// ---- Members and invitations ------------------------------------------------------------

export const MEMBERS_QUERY = operation<{ members: Member[] }>(
  `query Members { members { role joinedAt user { ${USER_FIELDS} } } }`,
);

export const INVITATIONS_QUERY = operation<{ invitations: Invitation[] }>(
  `query Invitations { invitations { ${INVITATION_FIELDS} } }`,
);

export const INVITE_MEMBER = operation<
  { inviteMember: InvitationLink },
  { input: { email: string; role: Role } }
>(
  `mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) { url invitation { ${INVITATION_FIELDS} } }
  }`,
);

export const REVOKE_INVITATION = operation<{ revokeInvitation: boolean }, { id: string }>(
  `mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) }`,
);

export const CHANGE_MEMBER_ROLE = operation<
  { changeMemberRole: Member },
  { userId: string; role: Role }
>(
  `mutation ChangeMemberRole($userId: ID!, $role: Role!) {
    changeMemberRole(userId: $userId, role: $role) { role joinedAt user { ${USER_FIELDS} } }
  }`,
);

export const REMOVE_MEMBER = operation<{ removeMember: boolean }, { userId: string }>(
  `mutation RemoveMember($userId: ID!) { removeMember(userId: $userId) }`,
);

export const INVITATION_PREVIEW_QUERY = operation<
  { invitationPreview: InvitationPreview },
  { token: string }
>(
  `query InvitationPreview($token: String!) {
    invitationPreview(token: $token) { organizationName email role expiresAt }
  }`,
);

export const ACCEPT_INVITATION = operation<
  { acceptInvitation: AuthPayload },
  { input: { token: string; name?: string; password?: string } }
>(
  `mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) { me { ${ME_FIELDS} } }
  }`,
);

// ---- API keys ---------------------------------------------------------------------------

export const API_KEYS_QUERY = operation<{ apiKeys: ApiKey[] }>(
  `query ApiKeys { apiKeys { ${API_KEY_FIELDS} } }`,
);

export const CREATE_API_KEY = operation<
  { createApiKey: CreatedApiKey },
  { input: { name: string; scopes: ApiKeyScope[]; expiresAt?: DateTime | null } }
>(
  `mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { secret apiKey { ${API_KEY_FIELDS} } }
  }`,
);

export const REVOKE_API_KEY = operation<{ revokeApiKey: ApiKey }, { id: string }>(
  `mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ${API_KEY_FIELDS} } }`,
);

// ---- Audit log --------------------------------------------------------------------------

export const AUDIT_LOG_QUERY = operation<
  { auditLog: { nodes: AuditLogEntry[]; pageInfo: PageInfo } },
  { first?: number; after?: string | null; action?: string | null }
>(
  `query AuditLog($first: Int, $after: String, $action: String) {
    auditLog(first: $first, after: $after, action: $action) {
      nodes {
        id action apiKeyId targetType targetId details createdAt
        actor { id email name }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`,
);
