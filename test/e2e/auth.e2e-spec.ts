import { codeOf, gql, signUp, startApi, uniqueEmail, SIGN_UP, type RunningApi } from './support/api';

// Black-box: sign-up, log-in, sessions, API keys and bad input, over HTTP against the real api.
describe('auth over GraphQL', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  const input = (over: Record<string, string> = {}) => ({
    input: { email: uniqueEmail(), password: 'correct horse battery', name: 'Ada', organizationName: 'Acme', ...over },
  });

  it('signs up, returns a session token and sets an httpOnly cookie', async () => {
    const r = await gql(api.url, SIGN_UP, input());
    expect(r.errors).toBeUndefined();
    expect(r.data!.signUp.token).toMatch(/^tss_[A-Za-z0-9_-]{43}$/);
    expect(r.data!.signUp.me.role).toBe('OWNER');
    expect(r.setCookie).toMatch(/tocsin_session=tss_[^;]+;.*HttpOnly/i);
  });

  it.each([
    ['a malformed email', { email: 'not-an-email' }, 'valid email'],
    ['a short password', { password: 'short' }, 'at least 10'],
    ['an empty name', { name: '   ' }, 'name'],
  ])('refuses %s with BAD_USER_INPUT', async (_what, over, message) => {
    const r = await gql(api.url, SIGN_UP, input(over));
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toContain(message);
  });

  it('refuses a duplicate sign-up', async () => {
    const first = input();
    await gql(api.url, SIGN_UP, first);
    const again = await gql(api.url, SIGN_UP, { input: { ...first.input, email: first.input.email.toUpperCase() } });
    expect(codeOf(again)).toBe('BAD_USER_INPUT');
    expect(again.errors![0].message).toContain('already exists');
  });

  it('refuses a wrong password, then rate-limits the account', async () => {
    const user = await signUp(api.url, 'victim');
    const LOG_IN = `mutation($e: String!, $p: String!) { logIn(input: { email: $e, password: $p }) { token } }`;
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) codes.push(codeOf(await gql(api.url, LOG_IN, { e: user.email, p: 'wrong password!' })));
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect(codes.slice(5)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    // Even the right password waits out the window: that is the point of the limit.
    const right = await gql(api.url, LOG_IN, { e: user.email, p: 'correct horse battery' });
    expect(codeOf(right)).toBe('RATE_LIMITED');
    expect(right.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('logs in, and a logged-out session is refused at once', async () => {
    const user = await signUp(api.url, 'leaver');
    const login = await gql(api.url, `mutation($e: String!) { logIn(input: { email: $e, password: "correct horse battery" }) { token } }`, { e: user.email });
    const token = login.data!.logIn.token as string;
    expect(codeOf(await gql(api.url, '{ me { user { email } } }', {}, { token }))).toBe('OK');
    expect(codeOf(await gql(api.url, 'mutation { logOut }', {}, { token }))).toBe('OK');
    expect(codeOf(await gql(api.url, '{ me { user { email } } }', {}, { token }))).toBe('UNAUTHENTICATED');
    // The other session of the same user is untouched.
    expect(codeOf(await gql(api.url, '{ me { user { email } } }', {}, { token: user.token }))).toBe('OK');
  });

  it('accepts the session cookie as the web sends it', async () => {
    const r = await gql(api.url, SIGN_UP, input());
    const cookie = r.setCookie!.split(';')[0];
    const me = await gql(api.url, '{ me { user { email } } }', {}, { cookie });
    expect(me.data!.me.user.email).toBe(r.data!.signUp.me.user.email);
  });

  it('creates an API key shown once, stores only its hash, and refuses it at once when revoked', async () => {
    const owner = await signUp(api.url, 'keys');
    const created = await gql(
      api.url,
      `mutation { createApiKey(input: { name: "ci", scopes: [READ, INGEST] }) { secret apiKey { id prefix scopes } } }`,
      {},
      { token: owner.token },
    );
    const { secret, apiKey } = created.data!.createApiKey;
    expect(secret).toMatch(/^tsn_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey.scopes).toEqual(['READ', 'INGEST']);
    const listed = await gql(api.url, '{ apiKeys { id name prefix } }', {}, { token: owner.token });
    expect(JSON.stringify(listed.data)).not.toContain(secret);

    // A read key reads (as bearer or as the basic-auth password) but cannot manage keys.
    expect(codeOf(await gql(api.url, '{ organization { id } }', {}, { token: secret }))).toBe('OK');
    expect(codeOf(await gql(api.url, '{ organization { id } }', {}, { basicPassword: secret }))).toBe('OK');
    expect(codeOf(await gql(api.url, 'mutation { createApiKey(input: { name: "x", scopes: [ADMIN] }) { secret } }', {}, { token: secret }))).toBe('FORBIDDEN');
    // A key is not a person.
    expect(codeOf(await gql(api.url, '{ me { user { id } } }', {}, { token: secret }))).toBe('FORBIDDEN');

    await gql(api.url, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: apiKey.id }, { token: owner.token });
    expect(codeOf(await gql(api.url, '{ organization { id } }', {}, { token: secret }))).toBe('UNAUTHENTICATED');
  });

  it('records who did what in the audit log', async () => {
    const owner = await signUp(api.url, 'audited');
    await gql(api.url, 'mutation { createApiKey(input: { name: "audited key", scopes: [READ] }) { secret } }', {}, { token: owner.token });
    const log = await gql(api.url, '{ auditLog(first: 10) { nodes { action actor { id } details } } }', {}, { token: owner.token });
    const actions = log.data!.auditLog.nodes.map((n: { action: string }) => n.action);
    expect(actions).toEqual(['apiKey.create', 'organization.create']);
    expect(log.data!.auditLog.nodes[0].actor.id).toBe(owner.userId);
  });

  describe('hostile queries', () => {
    it('refuses a depth-20 query and stays up', async () => {
      const owner = await signUp(api.url, 'deep');
      // Introspection types nest without end, so this is a legal query of depth 20.
      let sel = 'name';
      for (let i = 0; i < 15; i++) sel = `ofType { ${sel} }`;
      const r = await gql(api.url, `{ __schema { queryType { fields { type { ${sel} } } } } }`, {}, { token: owner.token });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0].message).toBe('Query depth 20 exceeds the limit of 12');
      expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    });

    it('refuses 500 aliases with a clear error', async () => {
      const owner = await signUp(api.url, 'alias');
      const aliases = Array.from({ length: 500 }, (_, i) => `a${i}: organization { id }`).join(' ');
      const r = await gql(api.url, `{ ${aliases} }`, {}, { token: owner.token });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0].message).toMatch(/500 aliases; the limit is 50/);
    });

    it('refuses a batched request', async () => {
      const res = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
      });
      expect(res.status).toBe(400);
    });

    it('answers malformed JSON with 400, not a crash', async () => {
      const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
      expect(res.status).toBe(400);
      expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    });
  });

  it('serves /metrics in the Prometheus text format', async () => {
    const res = await fetch(`${api.url}/metrics`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('tocsin_http_request_duration_seconds_bucket');
    expect(text).toContain('tocsin_graphql_operation_duration_seconds_bucket');
    expect(text).toMatch(/tocsin_queue_jobs\{queue="rollup",state="waiting"\} \d+/);
  });
});
