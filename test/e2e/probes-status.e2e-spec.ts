import type { Pool } from 'pg';
import { loadConfig } from '@tocsin/config';
import { createPgPool } from '@tocsin/db';
import { runAsOrg } from '@tocsin/tenancy';
import { DAY_MS, HOUR_MS, PgSeriesReader, RollupService, TsdbWriter } from '@tocsin/tsdb';
import { codeOf, gql, signUp, startApi, type RunningApi, type SignedUp } from './support/api';

// Public status pages: uptime bars from rollups (and raw data for what is not rolled up yet),
// incidents and maintenance with updates, an Atom feed, and nothing of any other organization.
describe('public status pages', () => {
  let api: RunningApi;
  let pool: Pool;
  let a: SignedUp & { slug: string };
  let b: SignedUp & { slug: string };

  const ok = async (query: string, variables: Record<string, unknown>, who: SignedUp) => {
    const r = await gql(api.url, query, variables, { token: who.token });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!;
  };
  const org = async (tag: string) => {
    const s = await signUp(api.url, tag);
    const me = await gql(api.url, '{ me { currentOrganization { slug } } }', {}, { token: s.token });
    return { ...s, slug: me.data!.me.currentOrganization.slug as string };
  };
  // A paused check: no scheduler runs it, so only the samples this test writes exist.
  const check = async (who: SignedUp, name: string, showOnStatusPage: boolean) =>
    (await ok('mutation($i: CheckInput!) { createCheck(input: $i) { id } }', { i: { name, kind: 'HTTP', target: 'https://example.com/', enabled: false, showOnStatusPage } }, who)).createCheck.id as string;

  beforeAll(async () => {
    api = await startApi();
    pool = createPgPool(loadConfig().databaseAppUrl, 2);
    a = await org('statusa');
    b = await org('statusb');
  }, 60_000);

  afterAll(async () => {
    await pool?.end();
    await api?.close();
  });

  it('refuses unknown slugs and organizations that publish nothing', async () => {
    expect((await fetch(`${api.url}/status/no-such-org-xyz`)).status).toBe(404);
    const quiet = await org('statusquiet');
    expect((await fetch(`${api.url}/status/${quiet.slug}`)).status).toBe(404);
    expect((await fetch(`${api.url}/status/${quiet.slug}/feed.atom`)).status).toBe(404);
    expect((await fetch(`${api.url}/status/${encodeURIComponent("x' or 1=1 --")}`)).status).toBe(404);
  });

  it('shows the right daily uptime from rollups and raw data, incidents, the feed, and only its own organization', async () => {
    const api1 = await check(a, 'API', true);
    const hidden = await check(a, 'Internal batch', false);
    const bCheck = await check(b, 'Secret B service', true);

    const now = Date.now();
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const hourly = (day: number, failures: number) => Array.from({ length: 24 }, (_, h) => [day + h * HOUR_MS + 60_000, h < failures ? 0 : 1] as const);
    const samples = [...hourly(today - 3 * DAY_MS, 0), ...hourly(today - 2 * DAY_MS, 6), ...hourly(today - DAY_MS, 12)];
    const todayTs = [now - 120_000, now - 60_000].filter((t) => t >= today);
    const write = (orgId: string, checkId: string, points: (readonly [number, number])[]) =>
      new TsdbWriter(pool).write(orgId, [{ labels: { __name__: 'probe_success', check_id: checkId, check: 'x', job: 'tocsin_checks' }, timestamps: points.map((p) => p[0]), values: Float64Array.from(points.map((p) => p[1])) }]);
    await write(a.orgId, api1, [...samples, ...todayTs.map((t, i) => [t, i === 0 ? 1 : 0] as const)]);
    await write(a.orgId, hidden, samples);
    await write(b.orgId, bCheck, hourly(today - 3 * DAY_MS, 24));
    await runAsOrg(a.orgId, () => new RollupService(pool).rollupDirty(a.orgId));
    // The past days are answered from 1 h rollups, not raw samples.
    const rolled = await new PgSeriesReader(pool).selectRollup(a.orgId, [{ name: '__name__', op: '=', value: 'probe_success' }, { name: 'check_id', op: '=', value: api1 }], '1h', today - 3 * DAY_MS, today);
    expect(rolled.dirtyFrom).toBeNull();
    expect(rolled.series[0].count.reduce((x, y) => x + y, 0)).toBe(72);

    const inc = await ok(
      'mutation($i: StatusIncidentInput!) { createStatusIncident(input: $i) { id status updates { status } } }',
      { i: { title: 'Elevated API errors', status: 'investigating', body: 'Looking <into> it', checkIds: [api1] } },
      a,
    );
    await ok('mutation($id: ID!) { addStatusIncidentUpdate(incidentId: $id, status: "resolved", body: "Fixed the load balancer") { id } }', { id: inc.createStatusIncident.id }, a);
    await ok('mutation($i: StatusIncidentInput!) { createStatusIncident(input: $i) { id } }', { i: { kind: 'MAINTENANCE', title: 'Database upgrade', status: 'scheduled', body: 'Tonight', startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + DAY_MS).toISOString() } }, a);
    await ok('mutation($i: StatusIncidentInput!) { createStatusIncident(input: $i) { id } }', { i: { title: 'B private outage', status: 'identified', body: 'B only' } }, b);
    expect(codeOf(await gql(api.url, 'mutation($i: StatusIncidentInput!) { createStatusIncident(input: $i) { id } }', { i: { title: 'x', status: 'exploded', body: 'y' } }, { token: a.token }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql(api.url, 'mutation($i: StatusIncidentInput!) { createStatusIncident(input: $i) { id } }', { i: { title: 'x', status: 'investigating', body: 'y', checkIds: [bCheck] } }, { token: a.token }))).toBe('BAD_USER_INPUT');

    const res = await fetch(`${api.url}/status/${a.slug}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    const dayAttr = (t: number) => new Date(t).toISOString().slice(0, 10);
    const bar = (t: number) => new RegExp(`data-day="${dayAttr(t)}" data-up="(\\d+)" data-total="(\\d+)"`).exec(html)?.slice(1).map(Number);
    expect((html.match(/data-day=/g) ?? []).length).toBe(90);
    expect(bar(today - 3 * DAY_MS)).toEqual([24, 24]);
    expect(bar(today - 2 * DAY_MS)).toEqual([18, 24]);
    expect(bar(today - DAY_MS)).toEqual([12, 24]);
    expect(bar(today)).toEqual([todayTs.length ? 1 : 0, todayTs.length]);
    expect(bar(today - 10 * DAY_MS)).toEqual([0, 0]);
    const up = 54 + (todayTs.length ? 1 : 0);
    const total = 72 + todayTs.length;
    expect(Number(/data-check="[^"]+" data-uptime="([\d.]+)"/.exec(html)![1])).toBeCloseTo(up / total, 6);
    expect(html).toContain('API');
    expect(html).toContain('Elevated API errors');
    expect(html).toContain('Looking &lt;into&gt; it');
    expect(html).toContain('Fixed the load balancer');
    expect(html).toContain('Database upgrade');
    expect(html).not.toContain('Internal batch');
    expect(html).not.toContain('Secret B service');
    expect(html).not.toContain('B private outage');
    expect(html).not.toContain('example.com');

    const feed = await fetch(`${api.url}/status/${a.slug}/feed.atom`);
    expect(feed.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    const xml = await feed.text();
    expect(xml).toMatch(/^<\?xml/);
    expect((xml.match(/<entry>/g) ?? []).length).toBe(3);
    expect(xml).toContain('Elevated API errors — resolved');
    expect(xml).not.toContain('B private outage');

    const bHtml = await (await fetch(`${api.url}/status/${b.slug}`)).text();
    expect(bHtml).toContain('Secret B service');
    expect(bHtml).not.toContain('Elevated API errors');
    expect(bHtml).not.toMatch(/>API </);
  }, 60_000);
});
