process.env.TOCSIN_ALLOW_PRIVATE_TARGETS = 'true'; // the probed server listens on loopback

import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resetConfigCache } from '@tocsin/config';
import { DbModule } from '@tocsin/db';
import { RedisModule } from '@tocsin/queue';
import { TenancyModule } from '@tocsin/tenancy';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ProbesWorkerModule } from '../../apps/worker/src/probes/probes-worker.module';
import { gql, startApi, type RunningApi } from './support/api';
import { launchChromium, SCREENSHOTS } from './support/browser';
import { startWeb, type RunningWeb } from './support/web';

// Only the page.evaluate callbacks use these: they run in the browser.
declare const document: any;
declare const window: any;

// The probe runner is the only worker part these pages need: it runs checks and scrapes.
@Module({ imports: [DbModule, RedisModule, TenancyModule, ProbesWorkerModule] })
class ProbesOnlyWorker {}

// The Probes page in headless Chromium against the real api and probe worker: an HTTP check on a
// real server goes up, an edit keeps its masked header, "Run now" runs it on demand, a self-signed HTTPS check shows its
// certificate's days left and is deleted, a heartbeat's push URL is pinged and shows OK, a scrape
// target reports its health, a viewer sees it all read-only, it fits a phone in light and dark, and another
// organization sees none of it. Leaves docs/screenshots/probes.png.

const PASSWORD = 'correct horse battery staple';

jest.setTimeout(120_000);

describe('web app: probes', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let web: RunningWeb;
  let site: Server;
  let sitePort = 0;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let cookie = '';
  let pushPath = '';

  beforeAll(async () => {
    resetConfigCache();
    site = createServer((req, res) => {
      if (req.url === '/metrics') {
        res.setHeader('content-type', 'text/plain; version=0.0.4');
        res.end('# TYPE shop_orders_total counter\nshop_orders_total{shop="a"} 3\nshop_up 1\n');
        return;
      }
      // The check must send its (stored, masked) header to pass.
      if (req.headers['x-probe'] !== 'tocsin') return void res.writeHead(403).end('who are you');
      res.end('hello from the shop');
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    sitePort = (site.address() as AddressInfo).port;
    api = await startApi();
    worker = await NestFactory.createApplicationContext(ProbesOnlyWorker, {
      logger: ['error', 'warn'],
    });
    process.env.PUBLIC_API_URL = api.url;
    web = await startWeb({ apiUrl: api.url });
    browser = await launchChromium();
    owner = await browser.newContext({ baseURL: web.url, viewport: { width: 1280, height: 800 } });
    page = await owner.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await worker?.close();
    await api?.close();
    site?.closeAllConnections();
    await new Promise((r) => site?.close(r));
  });

  async function signUpInBrowser(p: Page, name: string, email: string, org: string) {
    await p.goto('/signup');
    await p.getByLabel('Your name').fill(name);
    await p.getByLabel('Work email').fill(email);
    await p.getByLabel('Password').fill(PASSWORD);
    await p.getByLabel('Organization name').fill(org);
    await Promise.all([
      p.waitForURL(`${web.url}/`),
      p.getByRole('button', { name: 'Create account' }).click(),
    ]);
    await p.getByRole('heading', { level: 1, name: org }).waitFor();
  }

  /** Clicks Refresh until `locator` shows up: probes run in the worker, on their own clock. */
  async function refreshUntil(p: Page, locator: Locator, timeoutMs = 45_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await locator.count()) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(locator)}`);
      await p.waitForTimeout(1_000);
      const refresh = p.getByRole('button', { name: 'Refresh' });
      if (await refresh.isEnabled()) await refresh.click();
    }
  }

  it('reaches Probes from the side nav', async () => {
    await signUpInBrowser(page, 'Ada Lovelace', 'ada@probes.example', 'Probe Works');
    cookie = (await owner.cookies())
      .filter((c) => c.name === 'tocsin_session')
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    expect(await page.getByText('Soon').count()).toBe(0);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Probes' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Probes' }).waitFor();
    expect(await page.getByRole('tab', { name: /Checks/ }).getAttribute('aria-selected')).toBe(
      'true',
    );
    await page.getByText('No checks yet.').waitFor();
  });

  it('shows the api’s refusal inline, then creates an HTTP check that goes up', async () => {
    await page.getByRole('button', { name: 'New check' }).click();
    const form = page.getByRole('form', { name: 'New check' });
    await form.getByLabel('Check name').fill('Shop');
    await form.getByLabel('URL').fill('ftp://127.0.0.1/');
    await form.getByRole('button', { name: 'Create check' }).click();
    const refusal = form.getByRole('alert').filter({ hasText: 'The check was not saved' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('target must be an http:// or https:// URL');

    // A header the form must parse before anything is sent.
    await form.getByLabel('Headers').fill('not a header');
    await form.getByRole('button', { name: 'Create check' }).click();
    await form.getByText('Header line 1 needs the form "Name: value".').waitFor();

    await form.getByLabel('URL').fill(`http://127.0.0.1:${sitePort}/`);
    await form.getByLabel('Headers').fill('X-Probe: tocsin');
    await form.getByLabel('Every (seconds)').fill('2');
    await form.getByLabel('Timeout (seconds)').fill('1');
    await form.getByLabel('Body contains').fill('hello');
    await form.getByLabel('Show on the status page').check();
    expect(await form.getByLabel('Alert when down').isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Create check' }).click();
    const item = page.getByTestId('check-Shop');
    await item.waitFor();
    expect(await item.textContent()).toContain(`http://127.0.0.1:${sitePort}/`);
    await item.getByRole('link', { name: 'alerts when down' }).waitFor();
    await refreshUntil(page, item.locator('[data-status="up"]'));
    expect(await item.getByTestId('last-result').textContent()).toMatch(
      /HTTP 200 · (\d+ ms|[\d.]+ s) · /,
    );

    const listed = await gql(
      api.url,
      '{ checks { name kind status ruleId config } }',
      {},
      { cookie },
    );
    const [check] = listed.data!.checks;
    expect(check).toMatchObject({ name: 'Shop', kind: 'HTTP', status: 'up' });
    expect(check.ruleId).toBeTruthy();
    expect(check.config).toMatchObject({ keyword: 'hello', headers: { 'X-Probe': '••••••' } });
  });

  it('edits the check, keeping its masked header', async () => {
    await page.getByRole('button', { name: 'Edit check Shop' }).click();
    const form = page.getByRole('form', { name: 'Edit check Shop' });
    expect(await form.getByLabel('Headers').inputValue()).toBe('X-Probe: ••••••');
    await form.getByLabel('Expected status codes').fill('200, 204');
    await form.getByRole('button', { name: 'Save check' }).click();
    await page.getByTestId('check-Shop').waitFor();
    const listed = await gql(api.url, '{ checks { config } }', {}, { cookie });
    expect(listed.data!.checks[0].config).toMatchObject({
      expectedStatus: [200, 204],
      headers: { 'X-Probe': '••••••' },
    });
    // Runs after the edit still pass: the masked value sent back kept the stored header (the
    // server answers 403 without it) and 200 is among the expected statuses.
    const savedAt = Date.now();
    const deadline = savedAt + 30_000;
    for (;;) {
      const r = await gql(api.url, '{ checks { status lastCheckedAt } }', {}, { cookie });
      const c = r.data!.checks[0];
      if (c.lastCheckedAt && Date.parse(c.lastCheckedAt) > savedAt + 500) {
        expect(c.status).toBe('up');
        break;
      }
      if (Date.now() > deadline) throw new Error('the edited check did not run');
      await new Promise((r) => setTimeout(r, 300));
    }
  });

  it('runs the check now from the page and shows the result (recorded like a scheduled run)', async () => {
    const item = page.getByTestId('check-Shop');
    const clicked = Date.now();
    await item.getByRole('button', { name: 'Run check Shop now' }).click();
    const result = item.getByTestId('run-now-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/^Run now: Up \(HTTP 200, (\d+ ms|[\d.]+ s)\)$/);
    expect(await item.getByRole('button', { name: 'Run check Shop now' }).isEnabled()).toBe(true);
    const r = await gql(
      api.url,
      '{ checks { status lastCheckedAt lastStatusCode } }',
      {},
      { cookie },
    );
    expect(r.data!.checks[0]).toMatchObject({ status: 'up', lastStatusCode: 200 });
    expect(Date.parse(r.data!.checks[0].lastCheckedAt)).toBeGreaterThanOrEqual(clicked - 1000);
  });

  it('creates a heartbeat, shows its push URL once, and turns OK when pinged', async () => {
    await page.getByRole('tab', { name: /Heartbeats/ }).click();
    expect(page.url()).toMatch(/#heartbeats$/);
    await page.getByRole('button', { name: 'New heartbeat' }).click();
    const form = page.getByRole('form', { name: 'New heartbeat' });
    await form.getByLabel('Heartbeat name').fill('nightly-backup');
    await form.getByLabel('Period (seconds)').fill('3600');
    await form.getByRole('button', { name: 'Create heartbeat' }).click();
    const created = page.getByTestId('heartbeat-created');
    await created.waitFor();
    const pushUrl = await page.getByTestId('heartbeat-push-url').inputValue();
    pushPath = new URL(pushUrl).pathname;
    expect(pushPath).toMatch(/^\/api\/v1\/heartbeat\/hb_/);
    expect(await created.locator('pre').textContent()).toContain(`curl -fsS --retry 3 ${pushUrl}`);
    const item = page.getByTestId('heartbeat-nightly-backup');
    await item.locator('[data-status="new"]').waitFor();

    expect((await fetch(`${api.url}${pushPath}`)).status).toBeLessThan(300);
    await refreshUntil(page, item.locator('[data-status="up"]'));
    expect(await item.locator('[data-status="up"]').textContent()).toBe('OK');
    expect(await item.textContent()).toMatch(/Last ping: (just now|\d+ s ago)/);

    // Shown once: after closing, nothing on the page holds the secret any more.
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await page.reload();
    await page.getByTestId('heartbeat-nightly-backup').waitFor();
    expect(await page.content()).not.toContain(pushPath);
  });

  it('adds a scrape target and shows its health', async () => {
    await page.getByRole('tab', { name: /Scrape targets/ }).click();
    await page.getByRole('button', { name: 'New scrape target' }).click();
    const form = page.getByRole('form', { name: 'New scrape target' });
    await form.getByLabel('Job').fill('shop');
    await form.getByLabel('Address').fill(`127.0.0.1:${sitePort}`);
    await form.getByLabel('Scrape every (seconds)').fill('2');
    await form.getByLabel('Timeout (seconds)').fill('1');
    await form.getByLabel('Extra labels').fill('env=test');
    await form.getByLabel('Bearer token').check();
    await form.getByLabel('Token', { exact: true }).fill('s3cret-token');
    await form.getByRole('button', { name: 'Add target' }).click();
    const item = page.getByTestId('target-shop');
    await item.waitFor();
    await item.getByText('env=test').waitFor();
    await item.getByText('bearer auth').waitFor();
    await refreshUntil(page, item.locator('[data-status="up"]'));
    // The server exposes two samples (scrape_samples_scraped, before Tocsin's own up/scrape_*).
    expect(await item.getByTestId('last-scrape').textContent()).toMatch(
      /Last scrape .+ · (\d+ ms|[\d.]+ s) · 2 samples$/,
    );

    // Editing keeps the stored token unless told otherwise.
    await page
      .getByRole('button', { name: `Edit scrape target shop 127.0.0.1:${sitePort}` })
      .click();
    const edit = page.getByRole('form', { name: `Edit scrape target shop 127.0.0.1:${sitePort}` });
    expect(await edit.getByLabel('Keep stored bearer credentials').isChecked()).toBe(true);
    await edit.getByLabel('Extra labels').fill('env=test\nteam=web');
    await edit.getByRole('button', { name: 'Save target' }).click();
    await page.getByTestId('target-shop').getByText('team=web').waitFor();
    const t = await gql(api.url, '{ scrapeTargets { authKind labels } }', {}, { cookie });
    expect(t.data!.scrapeTargets).toEqual([
      { authKind: 'bearer', labels: { env: 'test', team: 'web' } },
    ]);
  });

  it('reads the certificate expiry of a self-signed HTTPS endpoint', async () => {
    // A 30-day self-signed certificate: the check must skip verification to get an answer, and
    // still reports the days left.
    const dir = mkdtempSync(join(tmpdir(), 'web-probes-tls-'));
    const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30'];
    args.push('-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-subj', '/CN=localhost');
    execFileSync('openssl', args, { stdio: 'ignore' });
    const tls = createHttpsServer(
      { key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) },
      (_req, res) => res.end('secure hello'),
    );
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    try {
      const port = (tls.address() as AddressInfo).port;
      await page.getByRole('tab', { name: /Checks/ }).click();
      await page.getByRole('button', { name: 'New check' }).click();
      const form = page.getByRole('form', { name: 'New check' });
      await form.getByLabel('Check name').fill('Secure');
      await form.getByLabel('URL').fill(`https://127.0.0.1:${port}/`);
      await form.getByLabel('Every (seconds)').fill('2');
      await form.getByLabel('Timeout (seconds)').fill('1');
      await form.getByLabel('Accept invalid TLS certificates').check();
      await form.getByLabel('Alert when down').uncheck();
      await form.getByRole('button', { name: 'Create check' }).click();
      const item = page.getByTestId('check-Secure');
      await refreshUntil(page, item.locator('[data-status="up"]'));
      await item.getByText(/^TLS certificate expires in (29|30) d$/).waitFor();
      expect(await item.getByRole('link', { name: 'alerts when down' }).count()).toBe(0);

      // Deleting asks once more, then the check is gone here and in the api.
      await item.getByRole('button', { name: 'Delete check Secure' }).click();
      await item.getByRole('button', { name: 'Delete check', exact: true }).click();
      await item.waitFor({ state: 'detached' });
      const left = await gql(api.url, '{ checks { name } }', {}, { cookie });
      expect(left.data!.checks.map((c: { name: string }) => c.name)).toEqual(['Shop']);
    } finally {
      tls.closeAllConnections();
      await new Promise((r) => tls.close(r));
    }
  });

  it('links the public status page and publishes a post on it', async () => {
    await page.getByRole('tab', { name: /Status page/ }).click();
    const slug = (await gql(api.url, '{ organization { slug } }', {}, { cookie })).data!
      .organization.slug;
    const link = page.getByRole('link', { name: `${api.url}/status/${slug}` });
    await link.waitFor();
    await page.getByText(/Shows 1 check by name/).waitFor();
    await page.getByRole('button', { name: 'New post' }).click();
    const form = page.getByRole('form', { name: 'New status-page post' });
    await form.getByLabel('Title').fill('Checkout is slow');
    await form.getByLabel('Message').fill('We are looking into it.');
    await form.getByLabel('Shop').check();
    await form.getByRole('button', { name: 'Publish' }).click();
    const posts = page.getByTestId('status-incidents');
    await posts.getByText('Checkout is slow').waitFor();
    await posts.getByText('We are looking into it.').waitFor();
    const publicPage = await (await fetch(`${api.url}/status/${slug}`)).text();
    expect(publicPage).toContain('Checkout is slow');
    expect(publicPage).toContain('Shop');

    // A second check against a port nobody listens on: it goes down, with the error shown.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const created = await gql(
      api.url,
      'mutation($i: CheckInput!) { createCheck(input: $i) { id } }',
      {
        i: {
          name: 'Database',
          kind: 'TCP',
          target: `127.0.0.1:${closedPort}`,
          intervalSeconds: 2,
          timeoutSeconds: 1,
        },
      },
      { cookie },
    );
    expect(created.errors).toBeUndefined();
    await page.getByRole('tab', { name: /Checks/ }).click();
    const db = page.getByTestId('check-Database');
    await refreshUntil(page, db.locator('[data-status="down"]'));
    expect(await db.getByTestId('last-result').locator('.field-error').textContent()).toMatch(
      /ECONNREFUSED|refused/i,
    );
    await page.getByRole('status').filter({ hasText: '1 probe is failing.' }).waitFor();
    await page.getByTestId('check-Shop').locator('[data-status="up"]').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'probes.png'), fullPage: true });
  });

  it('fits a 390 px phone, in light and dark', async () => {
    const phone = await browser.newContext({
      baseURL: web.url,
      viewport: { width: 390, height: 844 },
      storageState: await owner.storageState(),
    });
    try {
      const p = await phone.newPage();
      for (const scheme of ['light', 'dark'] as const) {
        await p.emulateMedia({ colorScheme: scheme });
        for (const tab of ['checks', 'heartbeats', 'scrape-targets', 'status-page']) {
          await p.goto(`/probes#${tab}`);
          await p.locator(`#tab-${tab}[aria-selected="true"]`).waitFor();
          await p.getByRole('tabpanel').locator('section').waitFor();
          if (tab === 'checks') await p.getByRole('button', { name: 'New check' }).click();
          expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
            390,
          );
        }
        const background = await p.evaluate(
          () => window.getComputedStyle(document.body).backgroundColor,
        );
        expect(background).toBe(scheme === 'dark' ? 'rgb(15, 18, 22)' : 'rgb(246, 247, 249)');
      }
    } finally {
      await phone.close();
    }
  });

  it('shows a viewer everything read-only', async () => {
    const invited = await gql(
      api.url,
      'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { url } }',
      { i: { email: 'vera@probes.example', role: 'VIEWER' } },
      { cookie },
    );
    const url = invited.data!.inviteMember.url as string;
    const visitor = await browser.newContext({
      baseURL: web.url,
      viewport: { width: 1280, height: 800 },
    });
    try {
      const p = await visitor.newPage();
      await p.goto(new URL(url).pathname);
      await p.getByLabel('Your name').fill('Vera Viewer');
      await p.getByLabel('Password').fill(PASSWORD);
      await Promise.all([
        p.waitForURL(`${web.url}/`),
        p.getByRole('button', { name: 'Create account and join' }).click(),
      ]);
      await p.goto('/probes');
      await p.getByTestId('check-Shop').waitFor();
      await p.getByText('Your role can look but not change them.').waitFor();
      for (const tab of [/Checks/, /Heartbeats/, /Scrape targets/, /Status page/]) {
        await p.getByRole('tab', { name: tab }).click();
        await p.getByRole('tabpanel').locator('section').waitFor();
        expect(await p.getByRole('tabpanel').getByRole('button').count()).toBe(0);
      }
      await p.getByTestId('status-incidents').getByText('Checkout is slow').waitFor();
    } finally {
      await visitor.close();
    }
  });

  it('shows another organization none of it', async () => {
    const other = await browser.newContext({
      baseURL: web.url,
      viewport: { width: 1280, height: 800 },
    });
    try {
      const p = await other.newPage();
      await signUpInBrowser(p, 'Bob Other', 'bob@other-probes.example', 'Other Probes');
      await p.goto('/probes');
      await p.getByText('No checks yet.').waitFor();
      await p.getByRole('tab', { name: /Heartbeats/ }).click();
      await p.getByText('No heartbeats yet.').waitFor();
      await p.getByRole('tab', { name: /Scrape targets/ }).click();
      await p.getByText('No scrape targets yet.').waitFor();
      await p.getByRole('tab', { name: /Status page/ }).click();
      await p.getByText('Nothing posted in the last 90 days.').waitFor();
      const otherCookie = (await other.cookies())
        .filter((c) => c.name === 'tocsin_session')
        .map((c) => `${c.name}=${c.value}`)
        .join('; ');
      const seen = await gql(
        api.url,
        '{ checks { id } heartbeats { id } scrapeTargets { id } statusIncidents { id } }',
        {},
        { cookie: otherCookie },
      );
      expect(seen.data).toEqual({
        checks: [],
        heartbeats: [],
        scrapeTargets: [],
        statusIncidents: [],
      });
    } finally {
      await other.close();
    }
  });
});
