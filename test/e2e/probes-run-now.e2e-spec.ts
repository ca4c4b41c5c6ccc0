import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resetConfigCache } from '@tocsin/config';
import { codeOf, gql, signUp, startApi, type GqlResult, type RunningApi, type SignedUp } from './support/api';

// runCheck(id) against the real api, with no probe worker running: whatever the check records
// (state, consecutive failures, series) comes from the on-demand run alone. The first api runs
// with the SSRF guard on (the default), the second with private targets allowed, so the same
// loopback site is first refused and then reached.

const RUN = `mutation($id: ID!) { runCheck(id: $id) {
  success error durationSeconds statusCode
  check { id status consecutiveFailures lastCheckedAt lastStatusCode lastError }
} }`;
const CREATE = 'mutation($i: CheckInput!) { createCheck(input: $i) { id } }';

async function ok(api: RunningApi, query: string, variables: Record<string, unknown>, who: SignedUp) {
  const r = await gql(api.url, query, variables, { token: who.token });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!;
}

describe('runCheck: a check run on demand', () => {
  let site: Server;
  let sitePort: number;
  let requests = 0;
  let healthy = true;

  beforeAll(async () => {
    site = createServer((_req, res) => {
      requests++;
      if (healthy) res.end('hello');
      else res.writeHead(500).end('broken');
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    sitePort = (site.address() as AddressInfo).port;
  });

  afterAll(async () => {
    site.closeAllConnections();
    await new Promise((r) => site.close(r));
    delete process.env.TOCSIN_ALLOW_PRIVATE_TARGETS;
    resetConfigCache();
  });

  describe('with the SSRF guard on', () => {
    let api: RunningApi;
    beforeAll(async () => {
      delete process.env.TOCSIN_ALLOW_PRIVATE_TARGETS;
      resetConfigCache();
      api = await startApi();
    }, 60_000);
    afterAll(() => api?.close());

    it('goes through the same guard as scheduled runs: a name that resolves to loopback is refused, the site gets nothing', async () => {
      const a = await signUp(api.url, 'runnow-guard');
      // A name passes validation (only literal addresses are judged then); the guard judges it on every run.
      const { createCheck } = await ok(api, CREATE, { i: { name: 'sneaky', kind: 'HTTP', target: `http://localhost:${sitePort}/`, timeoutSeconds: 1 } }, a);
      const run = (await ok(api, RUN, { id: createCheck.id }, a)).runCheck;
      expect(run).toMatchObject({ success: false, error: expect.stringMatching(/^blocked/), statusCode: null });
      expect(run.check).toMatchObject({ consecutiveFailures: 1, lastError: run.error });
      expect(requests).toBe(0);
    });
  });

  describe('with private targets allowed', () => {
    let api: RunningApi;
    let a: SignedUp;
    let b: SignedUp;
    let checkId: string;

    beforeAll(async () => {
      process.env.TOCSIN_ALLOW_PRIVATE_TARGETS = 'true';
      resetConfigCache();
      api = await startApi();
      a = await signUp(api.url, 'runnow-a');
      b = await signUp(api.url, 'runnow-b');
      checkId = (
        await ok(api, CREATE, { i: { name: 'shop', kind: 'HTTP', target: `http://127.0.0.1:${sitePort}/`, intervalSeconds: 3600, timeoutSeconds: 2, failureThreshold: 2 } }, a)
      ).createCheck.id;
    }, 60_000);
    afterAll(() => api?.close());

    const series = async (expr: string) => {
      const now = Date.now();
      const r = await ok(api, 'query($q: String!, $r: RangeInput!) { queryRange(query: $q, range: $r) { series { labels values } } }', { q: expr, r: { start: now - 120_000, end: now, step: 1000 } }, a);
      return r.queryRange.series as Array<{ labels: Record<string, string>; values: Array<number | null> }>;
    };

    it('records a run like a scheduled one: state, consecutive failures and the probe series', async () => {
      const before = requests;
      const up = (await ok(api, RUN, { id: checkId }, a)).runCheck;
      expect(up).toMatchObject({ success: true, error: null, statusCode: 200, check: { id: checkId, status: 'up', consecutiveFailures: 0, lastStatusCode: 200, lastError: null } });
      expect(up.durationSeconds).toBeGreaterThanOrEqual(0);
      expect(up.check.lastCheckedAt).toEqual(expect.any(String));
      expect(requests).toBe(before + 1);

      healthy = false;
      const first = (await ok(api, RUN, { id: checkId }, a)).runCheck;
      expect(first).toMatchObject({ success: false, statusCode: 500, error: 'unexpected status 500', check: { status: 'up', consecutiveFailures: 1 } });
      const second = (await ok(api, RUN, { id: checkId }, a)).runCheck;
      // failureThreshold 2: the second failure in a row marks it down, as the worker would.
      expect(second).toMatchObject({ success: false, check: { status: 'down', consecutiveFailures: 2, lastStatusCode: 500 } });
      healthy = true;

      const failures = await series(`probe_consecutive_failures{check_id="${checkId}"}`);
      expect(failures).toHaveLength(1);
      expect(failures[0].values.filter((v) => v !== null).at(-1)).toBe(2);
      const success = await series(`probe_success{check_id="${checkId}"}`);
      expect(success[0].values.filter((v) => v !== null).at(-1)).toBe(0);
    });

    it("refuses another organization's check as NOT_FOUND and leaves it untouched", async () => {
      const before = requests;
      const { check } = await ok(api, 'query($id: ID!) { check(id: $id) { consecutiveFailures lastCheckedAt } }', { id: checkId }, a);
      expect(codeOf(await gql(api.url, RUN, { id: checkId }, { token: b.token }))).toBe('NOT_FOUND');
      expect(codeOf(await gql(api.url, RUN, { id: 'not-a-uuid' }, { token: b.token }))).toBe('NOT_FOUND');
      expect(requests).toBe(before);
      expect((await ok(api, 'query($id: ID!) { check(id: $id) { consecutiveFailures lastCheckedAt } }', { id: checkId }, a)).check).toEqual(check);
    });

    it('refuses a paused check', async () => {
      const { createCheck } = await ok(api, CREATE, { i: { name: 'paused', kind: 'TCP', target: `127.0.0.1:${sitePort}`, enabled: false } }, a);
      expect(codeOf(await gql(api.url, RUN, { id: createCheck.id }, { token: a.token }))).toBe('BAD_USER_INPUT');
    });

    it('allows 10 on-demand runs a minute per organization, then RATE_LIMITED; other organizations are not affected', async () => {
      const c = await signUp(api.url, 'runnow-c');
      const id = (await ok(api, CREATE, { i: { name: 'busy', kind: 'HTTP', target: `http://127.0.0.1:${sitePort}/`, timeoutSeconds: 1 } }, c)).createCheck.id;
      // The limit is a fixed one-minute window: start well inside one so all 11 land in it.
      const into = Date.now() % 60_000;
      if (into > 45_000) await new Promise((r) => setTimeout(r, 60_000 - into + 100));
      const results: GqlResult[] = [];
      for (let i = 0; i < 11; i++) results.push(await gql(api.url, RUN, { id }, { token: c.token }));
      expect(results.slice(0, 10).map(codeOf)).toEqual(Array(10).fill('OK'));
      expect(codeOf(results[10])).toBe('RATE_LIMITED');
      expect(results[10].errors![0].extensions!.retryAfterSeconds).toEqual(expect.any(Number));
      expect(codeOf(await gql(api.url, RUN, { id: checkId }, { token: a.token }))).toBe('OK');
    }, 90_000);
  });
});
