import { codeOf, gql, signUp, startApi, uniqueEmail, type RunningApi, type SignedUp } from './support/api';

// From outside, through GraphQL: a member of org B can neither read nor change anything of org
// A's, whatever ids it sends; a VIEWER cannot mutate; roles cannot be escalated.
describe('tenant isolation and roles over GraphQL', () => {
  let api: RunningApi;
  let a: SignedUp;
  let b: SignedUp;
  let aKeyId: string;
  let aInvitationId: string;
  let aViewer: { token: string; userId: string };

  beforeAll(async () => {
    api = await startApi();
    a = await signUp(api.url, 'alice');
    b = await signUp(api.url, 'bob');
    const key = await gql(api.url, 'mutation { createApiKey(input: { name: "a-key", scopes: [READ] }) { apiKey { id } } }', {}, { token: a.token });
    aKeyId = key.data!.createApiKey.apiKey.id;
    const pending = await gql(api.url, 'mutation($e: String!) { inviteMember(input: { email: $e, role: EDITOR }) { invitation { id } } }', { e: uniqueEmail('pending') }, { token: a.token });
    aInvitationId = pending.data!.inviteMember.invitation.id;
    // A viewer in org A, through the invitation flow.
    const viewerEmail = uniqueEmail('viewer');
    const inv = await gql(api.url, 'mutation($e: String!) { inviteMember(input: { email: $e, role: VIEWER }) { url } }', { e: viewerEmail }, { token: a.token });
    const token = (inv.data!.inviteMember.url as string).split('/invite/')[1];
    const preview = await gql(api.url, 'query($t: String!) { invitationPreview(token: $t) { organizationName email role } }', { t: token });
    expect(preview.data!.invitationPreview).toEqual({ organizationName: 'alice org', email: viewerEmail, role: 'VIEWER' });
    const accepted = await gql(
      api.url,
      'mutation($t: String!) { acceptInvitation(input: { token: $t, name: "Vee", password: "viewer password 1" }) { token me { user { id } role currentOrganization { id } } } }',
      { t: token },
    );
    expect(accepted.data!.acceptInvitation.me.role).toBe('VIEWER');
    expect(accepted.data!.acceptInvitation.me.currentOrganization.id).toBe(a.orgId);
    aViewer = { token: accepted.data!.acceptInvitation.token, userId: accepted.data!.acceptInvitation.me.user.id };
    // The link works once.
    const again = await gql(api.url, 'mutation($t: String!) { acceptInvitation(input: { token: $t, name: "X", password: "viewer password 1" }) { token } }', { t: token });
    expect(codeOf(again)).not.toBe('OK');
  });

  afterAll(async () => {
    await api.close();
  });

  it('org B reads none of org A through list queries', async () => {
    const r = await gql(api.url, '{ organization { id } members { user { id } } apiKeys { id } invitations { id } auditLog { nodes { id targetId } } }', {}, { token: b.token });
    expect(r.errors).toBeUndefined();
    expect(r.data!.organization.id).toBe(b.orgId);
    const text = JSON.stringify(r.data);
    for (const id of [a.orgId, a.userId, aKeyId, aInvitationId, aViewer.userId]) expect(text).not.toContain(id);
  });

  it.each([
    ['revokeApiKey', 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', () => ({ id: aKeyId })],
    ['revokeInvitation', 'mutation($id: ID!) { revokeInvitation(id: $id) }', () => ({ id: aInvitationId })],
    ['changeMemberRole', 'mutation($id: ID!) { changeMemberRole(userId: $id, role: VIEWER) { role } }', () => ({ id: a.userId })],
    ['removeMember', 'mutation($id: ID!) { removeMember(userId: $id) }', () => ({ id: aViewer.userId })],
    ['switchOrganization', 'mutation($id: ID!) { switchOrganization(organizationId: $id) { currentOrganization { id } } }', () => ({ id: a.orgId })],
  ])('org B cannot %s on org A ids', async (_name, query, vars) => {
    const r = await gql(api.url, query, vars(), { token: b.token });
    expect(['NOT_FOUND', 'FORBIDDEN']).toContain(codeOf(r));
  });

  it('org A is unchanged after org B tried', async () => {
    const r = await gql(api.url, '{ apiKeys { id revokedAt } members { user { id } role } invitations { id } }', {}, { token: a.token });
    expect(r.data!.apiKeys).toEqual([{ id: aKeyId, revokedAt: null }]);
    expect(r.data!.members).toHaveLength(2);
    expect(r.data!.invitations.map((i: { id: string }) => i.id)).toContain(aInvitationId);
  });

  it('org B\'s API key reads only org B', async () => {
    const key = await gql(api.url, 'mutation { createApiKey(input: { name: "b", scopes: [ADMIN] }) { secret } }', {}, { token: b.token });
    const secret = key.data!.createApiKey.secret;
    const r = await gql(api.url, '{ organization { id } apiKeys { id } }', {}, { token: secret });
    expect(r.data!.organization.id).toBe(b.orgId);
    expect(JSON.stringify(r.data)).not.toContain(aKeyId);
    expect(['NOT_FOUND', 'FORBIDDEN']).toContain(codeOf(await gql(api.url, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: aKeyId }, { token: secret })));
  });

  it.each([
    ['createApiKey', 'mutation { createApiKey(input: { name: "v", scopes: [READ] }) { secret } }'],
    ['inviteMember', 'mutation { inviteMember(input: { email: "x@example.com", role: VIEWER }) { url } }'],
    ['updateOrganizationLimits', 'mutation { updateOrganizationLimits(input: { ingestionRate: 5 }) { ingestionRate } }'],
    ['apiKeys', '{ apiKeys { id } }'],
    ['auditLog', '{ auditLog { nodes { id } } }'],
  ])('a VIEWER is refused %s', async (_name, query) => {
    expect(codeOf(await gql(api.url, query, {}, { token: aViewer.token }))).toBe('FORBIDDEN');
  });

  it('a VIEWER still reads what viewers read', async () => {
    const r = await gql(api.url, '{ organization { id } members { role } organizationLimits { ingestionRate } }', {}, { token: aViewer.token });
    expect(r.errors).toBeUndefined();
    expect(r.data!.organizationLimits.ingestionRate).toBe(10000);
  });

  it('nobody grants a role above their own, and the last owner stays', async () => {
    const editorEmail = uniqueEmail('editor');
    const inv = await gql(api.url, 'mutation($e: String!) { inviteMember(input: { email: $e, role: ADMIN }) { url } }', { e: editorEmail }, { token: a.token });
    const t = (inv.data!.inviteMember.url as string).split('/invite/')[1];
    const admin = await gql(api.url, 'mutation($t: String!) { acceptInvitation(input: { token: $t, name: "Ad", password: "admin password 1" }) { token me { user { id } } } }', { t });
    const adminToken = admin.data!.acceptInvitation.token;
    expect(codeOf(await gql(api.url, 'mutation($id: ID!) { changeMemberRole(userId: $id, role: OWNER) { role } }', { id: aViewer.userId }, { token: adminToken }))).toBe('FORBIDDEN');
    expect(codeOf(await gql(api.url, 'mutation($id: ID!) { removeMember(userId: $id) }', { id: a.userId }, { token: adminToken }))).toBe('FORBIDDEN');
    const demote = await gql(api.url, 'mutation($id: ID!) { changeMemberRole(userId: $id, role: VIEWER) { role } }', { id: a.userId }, { token: a.token });
    expect(codeOf(demote)).toBe('BAD_USER_INPUT');
    expect(demote.errors![0].message).toContain('at least one owner');
  });

  it('a removed member loses access at once', async () => {
    const email = uniqueEmail('temp');
    const inv = await gql(api.url, 'mutation($e: String!) { inviteMember(input: { email: $e, role: EDITOR }) { url } }', { e: email }, { token: a.token });
    const t = (inv.data!.inviteMember.url as string).split('/invite/')[1];
    const joined = await gql(api.url, 'mutation($t: String!) { acceptInvitation(input: { token: $t, name: "T", password: "temp password 1" }) { token me { user { id } } } }', { t });
    const token = joined.data!.acceptInvitation.token;
    expect(codeOf(await gql(api.url, '{ organization { id } }', {}, { token }))).toBe('OK');
    await gql(api.url, 'mutation($id: ID!) { removeMember(userId: $id) }', { id: joined.data!.acceptInvitation.me.user.id }, { token: a.token });
    expect(codeOf(await gql(api.url, '{ organization { id } }', {}, { token }))).toBe('UNAUTHENTICATED');
  });

  it('anonymous callers get UNAUTHENTICATED for every non-public operation', async () => {
    for (const q of ['{ me { user { id } } }', '{ organization { id } }', '{ members { role } }', 'mutation { logOut }']) {
      expect(codeOf(await gql(api.url, q))).toBe('UNAUTHENTICATED');
    }
  });

  it('a user in two organizations switches between them', async () => {
    const created = await gql(api.url, 'mutation { createOrganization(name: "alice second") { currentOrganization { id name } role organizations { organization { id } } } }', {}, { token: a.token });
    expect(created.data!.createOrganization.role).toBe('OWNER');
    expect(created.data!.createOrganization.organizations).toHaveLength(2);
    const second = created.data!.createOrganization.currentOrganization.id;
    expect((await gql(api.url, '{ organization { id } }', {}, { token: a.token })).data!.organization.id).toBe(second);
    await gql(api.url, 'mutation($id: ID!) { switchOrganization(organizationId: $id) { role } }', { id: a.orgId }, { token: a.token });
    expect((await gql(api.url, '{ organization { id } }', {}, { token: a.token })).data!.organization.id).toBe(a.orgId);
  });
});
