import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DbModule } from '@tocsin/db';
import { RedisModule } from '@tocsin/queue';
import { TenancyModule } from '@tocsin/tenancy';
import { launchChromium, SCREENSHOTS } from './support/browser';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AlertingWorkerModule } from '../../apps/worker/src/alerting/alerting-worker.module';
import { gql, startApi, type RunningApi } from './support/api';
import { startWeb, type RunningWeb } from './support/web';

// Only the page.evaluate callbacks use these: they run in the browser. Declared here, not via
// lib "dom", which would retype fetch and friends for the whole Node program.
declare const document: any;
declare const window: any;

// The alert evaluator is the only worker part this flow needs: rules fire from pushed samples.
@Module({ imports: [DbModule, RedisModule, TenancyModule, AlertingWorkerModule] })
class EvaluateOnlyWorker {}

// The main path of the web app in headless Chromium against the real api and evaluator: sign up,
// get an ingest key from Home, push samples, see them in Explore, write a rule with a backtest,
// watch its alert arrive live, acknowledge an incident, and check another organization sees none
// of it. Screenshots land in docs/screenshots.

const PASSWORD = 'correct horse battery staple';

jest.setTimeout(90_000);

describe('web app: from the first metric to an acknowledged incident', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let web: RunningWeb;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let ingestKey = '';
  let cookie = '';
  let incidentId = '';

  beforeAll(async () => {
    api = await startApi();
    worker = await NestFactory.createApplicationContext(EvaluateOnlyWorker, {
      logger: ['error', 'warn'],
    });
    // The web app hands this to the browser for the WebSocket; the child inherits it.
    process.env.PUBLIC_API_URL = api.url;
    web = await startWeb({ apiUrl: api.url });
    browser = await launchChromium();
    owner = await browser.newContext({ baseURL: web.url, viewport: { width: 1280, height: 800 } });
    page = await owner.newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await worker?.close();
    await api?.close();
  });

  const shot = (p: Page, name: string) =>
    p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  const push = (value: number, at = Date.now()) =>
    fetch(`${api.url}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
      body: JSON.stringify({
        series: [{ labels: { __name__: 'web_flow_temp', room: 'lab' }, samples: [[at, value]] }],
      }),
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

  it('signs up and creates an ingest key from Home, inside ready-to-paste snippets', async () => {
    await signUpInBrowser(page, 'Ada Lovelace', 'ada@flow.example', 'Flow Industries');
    await page.getByRole('heading', { name: 'Send your first metrics' }).waitFor();
    await page.getByRole('button', { name: 'Create an ingest key' }).click();
    const field = page.getByTestId('ingest-key');
    await field.waitFor();
    ingestKey = await field.inputValue();
    expect(ingestKey.length).toBeGreaterThanOrEqual(20);
    const quickstart = await page.getByTestId('quickstart').textContent();
    expect(quickstart).toContain(`${api.url}/api/v1/write`);
    expect(quickstart).toContain(`password: ${ingestKey}`);
    expect(quickstart).toContain(`${api.url}/api/v1/push`);
    expect(quickstart).toContain(`TOCSIN_AGENT_TOKEN=${ingestKey}`);
    await shot(page, 'flow-home-quickstart');
    cookie = (await owner.cookies())
      .filter((c) => c.name === 'tocsin_session')
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    expect(cookie).not.toBe('');
  });

  it('pushes samples and draws them in Explore, with metric names suggested', async () => {
    const now = Date.now();
    for (let i = 30; i >= 1; i -= 1) {
      const res = await push(20 + (i % 7), now - i * 60_000);
      expect(res.status).toBe(200);
    }
    await page.goto('/explore');
    // The CodeMirror editor: its content element is labelled; completion comes over GraphQL.
    const editor = page.getByLabel('PromQL query');
    await editor.click();
    await editor.pressSequentially('web_fl');
    const option = page.getByRole('option', { name: 'web_flow_temp' });
    await option.waitFor();
    // CodeMirror ignores Enter for 75 ms after the list opens (its interactionDelay), so a
    // keystroke meant for the text is never taken as picking a completion.
    await page.waitForTimeout(150);
    await editor.press('Enter');
    expect(await editor.textContent()).toBe('web_flow_temp');
    // Label values are completed too, from the metric's own series.
    await editor.pressSequentially('{room="');
    await page.getByRole('option', { name: 'lab' }).waitFor();
    await page.waitForTimeout(150);
    await editor.press('Enter');
    expect(await editor.textContent()).toBe('web_flow_temp{room="lab"}');
    // Highlighting: the label name and the string are styled tokens, not plain text.
    expect(await page.locator('.cm-content span').count()).toBeGreaterThan(1);
    await page.getByRole('button', { name: 'Run query' }).click();
    const chart = page.getByTestId('chart');
    await chart.waitFor();
    expect(await chart.getAttribute('data-series')).toBe('1');
    // uPlot draws on a canvas; its legend names the series and, under the cursor, reads out the
    // pushed value (20–26).
    const canvas = chart.locator('canvas');
    await canvas.waitFor();
    expect(await canvas.count()).toBe(1);
    await chart.locator('.u-legend').getByText('web_flow_temp{room="lab"}').waitFor();
    const box = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    // Row 0 of uPlot's legend is the time under the cursor ('latest' away from it), row 1 the
    // series' value there.
    const time = chart.locator('.u-legend .u-series').nth(0).locator('.u-value');
    const value = chart.locator('.u-legend .u-series').nth(1).locator('.u-value');
    await page.waitForFunction(
      (el) => /\d{2}:\d{2}:\d{2}/.test(el?.textContent ?? ''),
      await time.elementHandle(),
    );
    expect(Number(await value.textContent())).toBeGreaterThanOrEqual(20);
    expect(Number(await value.textContent())).toBeLessThanOrEqual(26);
    await shot(page, 'flow-explore');
  });

  it('builds a dashboard panel by hand, imports one from Grafana, and duplicates it', async () => {
    await page.goto('/dashboards');
    await page.getByText('No dashboards yet.').waitFor();
    await page.getByLabel('New dashboard').fill('Lab');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('button', { name: 'Add panel' }).click();
    await page.getByLabel('Title', { exact: true }).last().fill('Temperature');
    await page.getByLabel('Query', { exact: true }).fill('web_flow_temp{room="$room"}');
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByLabel('Name', { exact: true }).fill('room');
    await page.getByLabel('Label', { exact: true }).fill('room');
    await page.getByRole('button', { name: 'Save dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Lab' }).waitFor();
    // The variable picks the label's first value and the panel's chart draws the pushed series.
    expect(await page.getByLabel('room').inputValue()).toBe('lab');
    const chart = page.getByTestId('panel').getByTestId('chart');
    await chart.waitFor();
    expect(await chart.getAttribute('data-series')).toBe('1');
    await chart.locator('canvas').waitFor();
    await chart.locator('.u-legend').getByText('web_flow_temp{room="lab"}').waitFor();
    // Away from the cursor the legend reads out the latest pushed value (20–26).
    const latest = Number(
      await chart.locator('.u-legend .u-series').nth(1).locator('.u-value').textContent(),
    );
    expect(latest).toBeGreaterThanOrEqual(20);
    expect(latest).toBeLessThanOrEqual(26);
    await shot(page, 'flow-dashboard');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'flow-dashboard-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    const grafana = {
      title: 'From Grafana',
      panels: [
        {
          id: 1,
          type: 'stat',
          title: 'Now',
          gridPos: { w: 8 },
          targets: [{ expr: 'max(web_flow_temp)' }],
        },
        { id: 2, type: 'text', title: 'Read me' },
        {
          id: 3,
          type: 'gauge',
          title: 'Gauge',
          gridPos: { w: 8 },
          targets: [{ expr: 'max(web_flow_temp)' }],
        },
      ],
    };
    await page.goto('/dashboards');
    await page.getByRole('button', { name: 'Import from Grafana' }).click();
    await page.getByLabel('Grafana dashboard JSON').fill(JSON.stringify(grafana));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'From Grafana' }).waitFor();
    await page.getByText('Left out (no Prometheus query): Read me.').waitFor();
    const stat = page.getByTestId('panel-stat');
    await stat.waitFor();
    expect(Number(await stat.textContent())).toBeGreaterThan(0);
    await shot(page, 'flow-dashboard-grafana');

    await page.goto('/dashboards');
    await page.getByRole('button', { name: 'Duplicate Lab' }).click();
    await page.getByRole('link', { name: 'Lab (copy)' }).waitFor();
  });

  it('previews a threshold rule with its backtest, saves it, and the alert arrives live', async () => {
    // A second tab watches the alerts list the whole time; it must update without reloading.
    const watcher = await owner.newPage();
    const frames: string[] = [];
    watcher.on('websocket', (ws) => {
      frames.push(`open ${ws.url()}`);
      ws.on('framereceived', (f) => frames.push(`< ${String(f.payload).slice(0, 200)}`));
      ws.on('framesent', (f) => frames.push(`> ${String(f.payload).slice(0, 200)}`));
      ws.on('close', () => frames.push('closed'));
    });
    watcher.on('console', (m) => frames.push(`console ${m.text()}`));
    await watcher.goto('/alerts');
    await watcher.getByTestId('alerts-empty').waitFor();
    await watcher.getByTestId('live-status').getByText('Live').waitFor();
    await watcher.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));

    await page.goto('/rules');
    await page.getByText('No rules yet.').waitFor();
    await page.getByRole('link', { name: 'New rule' }).click();
    await page.getByLabel('Name').fill('HotRoom');
    const query = page.getByLabel('Query to watch');
    await query.fill('web_flow_temp');
    await page.getByLabel('Critical threshold').fill('50');
    await page.getByLabel('Critical recovery').fill('40');
    await page.getByRole('button', { name: 'Preview and backtest' }).click();
    await page.getByTestId('backtest').waitFor();
    const summary = await page.getByTestId('backtest-summary').textContent();
    // The history stayed below 50: the backtest says it would not have fired.
    expect(summary).toContain('would have fired 0 times');
    // The thresholds are painted on the chart's canvas and listed under it.
    const ruleChart = page.getByTestId('chart');
    await ruleChart.locator('canvas').waitFor();
    expect(await ruleChart.locator('.chart-threshold-critical').textContent()).toContain('50');
    expect(await ruleChart.locator('.chart-threshold-recovery').textContent()).toContain('40');
    await page.getByText('label_replace(web_flow_temp > 50').waitFor();
    await shot(page, 'flow-rule-editor');
    await Promise.all([
      page.waitForURL(`${web.url}/rules`),
      page.getByRole('button', { name: 'Save rule' }).click(),
    ]);
    await page.getByTestId('rule-HotRoom').waitFor();

    expect((await push(95)).status).toBe(200);
    const row = watcher.getByTestId('alert-HotRoom');
    try {
      await row.waitFor({ timeout: 30_000 });
    } catch (e) {
      const dbg = await gql(
        api.url,
        '{ alerts(filter: { states: [FIRING, PENDING, RESOLVED, INACTIVE] }) { ruleName state lastEval } ruleGroups { lastEvalAt lastError rules { expr lastError } } }',
        {},
        { cookie },
      );
      // What the api holds and what the browser's socket saw: the two halves of "not live".
      console.log(JSON.stringify(dbg), frames.join('\n'));
      throw e;
    }
    expect(await row.textContent()).toContain('firing');
    expect(await watcher.evaluate(() => (window as unknown as { marker: string }).marker)).toBe(
      'same page',
    );
    await shot(watcher, 'flow-alerts');

    // Silence straight from the alert, its labels prefilled.
    await row.getByRole('button', { name: 'Silence' }).click();
    const matchers = watcher.getByLabel('Matchers');
    expect(await matchers.inputValue()).toContain('alertname="HotRoom"');
    expect(await matchers.inputValue()).toContain('room="lab"');
    await watcher.getByRole('button', { name: 'Create silence' }).click();
    await watcher.getByText(/^Silenced \{/).waitFor();

    // The detail: chart around the firing, history and the decision trace.
    await row.getByRole('link', { name: 'HotRoom' }).click();
    await watcher.getByRole('heading', { name: 'Around the firing' }).waitFor();
    await watcher.getByTestId('chart').locator('canvas').waitFor();
    await watcher.getByTestId('alert-explanation').waitFor();
    expect((await watcher.getByTestId('alert-explanation').textContent())?.length).toBeGreaterThan(
      0,
    );
    await watcher.getByRole('cell', { name: 'firing' }).first().waitFor();
    await shot(watcher, 'flow-alert-detail');
    await watcher.close();
  });

  it('acknowledges an incident with one click at phone width, and the ack shows in its timeline', async () => {
    const me = await gql(api.url, '{ me { user { id } } }', {}, { cookie });
    const created = await gql(
      api.url,
      'mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id number } }',
      {
        i: { title: 'Lab is overheating', urgency: 'high', assignedUserIds: [me.data!.me.user.id] },
      },
      { cookie },
    );
    expect(created.errors).toBeUndefined();
    incidentId = created.data!.createIncident.id;

    const phone = await browser.newContext({
      baseURL: web.url,
      viewport: { width: 390, height: 844 },
    });
    await phone.addCookies((await owner.cookies()).filter((c) => c.name === 'tocsin_session'));
    try {
      const p = await phone.newPage();
      await p.goto('/incidents');
      await p.getByRole('link', { name: /Lab is overheating/ }).click();
      await p.waitForURL(`${web.url}/incidents/${incidentId}`);
      await p.getByText('triggered').first().waitFor();
      const ack = p.getByRole('button', { name: 'Acknowledge' });
      // One tap, and a big enough target on a phone.
      const box = await ack.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      await ack.click();
      await p
        .getByTestId('incident-timeline')
        .locator('[data-kind="ack"]')
        .getByText('Acknowledged by Ada Lovelace')
        .waitFor();
      expect(await ack.isDisabled()).toBe(true);
      await p.getByLabel('Add a note').fill('Fan replaced');
      await p.getByRole('button', { name: 'Add note' }).click();
      await p.getByTestId('incident-timeline').getByText('Fan replaced').waitFor();
      // No horizontal scrolling at 390 px.
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shot(p, 'flow-incident-phone');
    } finally {
      await phone.close();
    }
    const after = await gql(
      api.url,
      'query($id: ID!) { incident(id: $id) { status } }',
      { id: incidentId },
      { cookie },
    );
    expect(after.data!.incident.status).toBe('ACKNOWLEDGED');
  });

  it('adds a channel from its provider’s schema, tests routing, and lists on-call settings', async () => {
    await page.goto('/channels');
    await page.getByText('No channels yet.').waitFor();
    await page.getByLabel('Provider').selectOption({ label: 'Webhook' });
    await page.getByLabel('Name').fill('ops webhook');
    // Both fields are generated from the webhook provider's JSON Schema, secrets as passwords.
    const url = page.getByLabel('Url');
    expect(await url.getAttribute('type')).toBe('password');
    await url.fill('https://hooks.example.com/tocsin');
    await page.getByLabel('Secret').fill('a-signing-secret-of-some-length');
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByRole('button', { name: 'Send a test to ops webhook' }).waitFor();
    await shot(page, 'flow-channels');

    await page.goto('/notifications');
    await page.getByRole('list', { name: 'Route tree' }).waitFor();
    await page.getByRole('button', { name: 'Test route' }).click();
    await page.getByRole('status').getByText('default').waitFor();
    await page.getByText('Nothing sent yet.').waitFor();
    await shot(page, 'flow-notifications');

    // A weekly maintenance window, made through the form, listed with its recurrence; then edited.
    await page.getByRole('button', { name: 'New maintenance window' }).click();
    const mw = page.getByRole('form', { name: 'New maintenance window' });
    await mw.getByLabel('Window name').fill('Nightly deploys');
    await mw.getByLabel('Mutes alerts matching').fill('{room="lab"}');
    await mw.getByLabel('From').fill('22:00');
    await mw.getByLabel('Until').fill('23:30');
    await mw.getByLabel('Time zone').fill('Europe/Berlin');
    await mw.getByRole('button', { name: 'Save window' }).click();
    const windows = page.getByTestId('maintenance-windows');
    await windows.getByText('Nightly deploys').waitFor();
    await windows.getByText('mon, tue, wed, thu, fri 22:00–23:30 (Europe/Berlin)').waitFor();
    await page.getByRole('button', { name: 'Edit maintenance window Nightly deploys' }).click();
    const mwEdit = page.getByRole('form', { name: 'Edit maintenance window Nightly deploys' });
    expect(await mwEdit.getByLabel('Mutes alerts matching').inputValue()).toBe('{room="lab"}');
    await mwEdit.getByLabel('sat').check();
    await mwEdit.getByRole('button', { name: 'Save window' }).click();
    await windows.getByText('mon, tue, wed, thu, fri, sat 22:00–23:30 (Europe/Berlin)').waitFor();
    await shot(page, 'flow-maintenance-windows');

    await page.goto('/oncall');
    await page.getByText('No schedules yet.').waitFor();
    await page.getByLabel('Email address').fill('ada@flow.example');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('not verified').waitFor();
    await shot(page, 'flow-oncall');
  });

  it('sets up on-call in the browser: a schedule with a restricted layer, an override and an escalation policy', async () => {
    await page.goto('/oncall');
    await page.getByRole('button', { name: 'New schedule' }).click();
    const form = page.getByRole('form', { name: 'New schedule' });
    await form.getByLabel('Schedule name').fill('Primary');
    await form.getByLabel('Time zone').fill('UTC');
    await form.getByTestId('layer-0').getByLabel('Ada Lovelace').check();
    await form.getByLabel('Hand off').selectOption('daily');
    await form.getByLabel('First handoff').fill('2026-01-01T09:00');
    await form.getByRole('button', { name: 'Restrict to certain hours' }).click();
    // Business hours every day: the final schedule has gaps at night.
    const restriction = form.getByTestId('restriction-0-0');
    for (const day of ['Sat', 'Sun']) await restriction.getByLabel(day).check();
    await form.getByRole('button', { name: 'Save schedule' }).click();
    const card = page.getByRole('region', { name: 'Schedule Primary' });
    await card.waitFor();
    await card.getByText('Layer 1: Ada Lovelace, daily, 09:00–17:00').waitFor();
    const finalList = card.getByTestId('final-Primary');
    await finalList.waitFor();
    const firstSlot = (await finalList.locator('li').first().textContent()) ?? '';
    expect(firstSlot).toContain('Ada Lovelace');
    expect(firstSlot).not.toContain('(override)');
    // A row per layer above the final row; with one layer and no override yet they agree.
    const layerRow = card.locator('[data-testid^="shift-row-Layer 1"]');
    const layerShifts = Number(await layerRow.getAttribute('data-shifts'));
    expect(layerShifts).toBeGreaterThan(0);
    expect(Number(await card.getByTestId('shift-row-Final').getAttribute('data-shifts'))).toBe(
      layerShifts,
    );

    // An override from now for eight hours wins over the layer and is listed under the card.
    await card.getByRole('button', { name: 'Add override' }).click();
    await card
      .getByTestId('overrides')
      .getByText(/Ada Lovelace/)
      .waitFor();
    await finalList.getByText('(override)').first().waitFor();
    // The override changes the final row only: the layer keeps its own shifts.
    expect(Number(await layerRow.getAttribute('data-shifts'))).toBe(layerShifts);
    const schedules = await gql(
      api.url,
      '{ schedules { id name timeZone layers } }',
      {},
      { cookie },
    );
    const primary = schedules.data!.schedules.find((x: { name: string }) => x.name === 'Primary');
    expect(primary.layers[0]).toMatchObject({
      rotation: 'daily',
      start: '2026-01-01T09:00',
      restrictions: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '17:00' }],
    });
    const overrides = await gql(
      api.url,
      'query($id: ID!) { scheduleOverrides(scheduleId: $id) { id userId } }',
      { id: primary.id },
      { cookie },
    );
    expect(overrides.data!.scheduleOverrides).toHaveLength(1);

    await page.getByRole('button', { name: 'New escalation policy' }).click();
    const policy = page.getByRole('form', { name: 'New escalation policy' });
    await policy.getByLabel('Policy name').fill('Production');
    // Step 1 defaults to whoever is on call in the first schedule.
    expect(await policy.getByLabel('Step 1 pages').inputValue()).toBe('schedule');
    await policy.getByRole('button', { name: 'Add step' }).click();
    await policy.getByLabel('Step 2 pages').selectOption('user');
    await policy.getByLabel('Step 2 target').selectOption({ label: 'Ada Lovelace' });
    await policy.getByRole('button', { name: 'Save policy' }).click();
    const saved = page.getByRole('region', { name: 'Escalation policy Production' });
    await saved.getByText('Page on call in Primary, then wait 15 min').waitFor();
    await saved.getByText('Page Ada Lovelace, then wait 15 min').waitFor();
    await shot(page, 'flow-oncall-editors');

    // Notification rules list only verified methods. The code goes out by email, which this flow
    // does not capture, so the test marks the method verified in the database (the verification
    // itself is covered by test/e2e/oncall-schedules).
    const pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    try {
      await pg.query(
        "update oncall_contact_methods set verified_at = now() where address = 'ada@flow.example'",
      );
    } finally {
      await pg.end();
    }
    await page.reload();
    const rules = page.getByRole('group', { name: /^High urgency/ });
    await rules.getByText('(default)').first().waitFor();
    await page.getByLabel('After minutes (high)').fill('2');
    await rules.getByRole('button', { name: 'Add rule' }).click();
    await page
      .getByTestId('notification-rules-high')
      .getByText('After 2 min: email ada@flow.example')
      .waitFor();
    const mine = await gql(
      api.url,
      '{ myNotificationRules(urgency: high) { ruleId delaySeconds address } }',
      {},
      { cookie },
    );
    expect(mine.data!.myNotificationRules).toEqual([
      expect.objectContaining({ delaySeconds: 120, address: 'ada@flow.example' }),
    ]);
    expect(mine.data!.myNotificationRules[0].ruleId).not.toMatch(/^default-/);

    // Removing the override from the UI puts the layer back.
    await card.getByRole('button', { name: 'Remove override for Ada Lovelace' }).click();
    await card.getByRole('button', { name: 'Remove override', exact: true }).click();
    await card.getByText('No overrides.').waitFor();
  });

  it('edits the rule as a rate-of-change condition and shows the PromQL it compiles to', async () => {
    await page.goto('/rules');
    await page.getByRole('link', { name: 'Edit rule HotRoom' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit HotRoom' }).waitFor();
    expect(await page.getByLabel('Critical threshold').inputValue()).toBe('50');
    expect(await page.getByLabel('Query to watch').textContent()).toBe('web_flow_temp');
    await page.getByLabel('Alert when the query').selectOption('rate_of_change');
    await page.getByLabel('By more than').fill('10');
    await page.getByLabel('Within').fill('5m');
    await page.getByRole('button', { name: 'Preview and backtest' }).click();
    await page
      .getByTestId('compiled-promql')
      .getByText(/web_flow_temp offset 5m/)
      .waitFor();
    await shot(page, 'flow-rule-edit');
    await Promise.all([
      page.waitForURL(`${web.url}/rules`),
      page.getByRole('button', { name: 'Save rule' }).click(),
    ]);
    await page
      .getByTestId('rule-HotRoom')
      .getByText(/web_flow_temp offset 5m/)
      .waitFor();
  });

  it('sets labels, annotations, keep_firing_for and no-data/error handling; the api’s refusals show at their fields', async () => {
    const RULE =
      '{ ruleGroups { rules { name keepFiringFor noDataState errorState labels annotations condition } } }';
    const stored = async () =>
      (await gql(api.url, RULE, {}, { cookie }))
        .data!.ruleGroups.flatMap((g: { rules: unknown[] }) => g.rules)
        .find((r: { name: string }) => r.name === 'HotRoom');
    await page.goto('/rules');
    await page.getByRole('link', { name: 'Edit rule HotRoom' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit HotRoom' }).waitFor();
    expect(await page.getByLabel('Keep firing for').inputValue()).toBe('0s');
    expect(await page.getByLabel('If the query returns no data').inputValue()).toBe('OK');
    expect(await page.getByLabel('If the query fails').inputValue()).toBe('KEEP_LAST');
    const labels = page.getByRole('group', { name: 'Labels' });
    expect(await labels.getByTestId('label-row').count()).toBe(0);

    // Each refusal comes from the api, worded by it, and stands under the field it is about.
    await page.getByLabel('Keep firing for').fill('soon');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page
      .locator('#rule-keepFiringFor-error')
      .getByText('keep_firing_for "soon" is not a duration like 30s, 5m or 1h')
      .waitFor();
    await page.getByLabel('Keep firing for').fill('10m');
    await labels.getByRole('button', { name: 'Add label' }).click();
    await labels.getByRole('button', { name: 'Add label' }).click();
    await labels.getByLabel('label 1 key').fill('bad-name');
    await labels.getByLabel('label 1 value').fill('page');
    await labels.getByLabel('label 2 key').fill('team');
    await labels.getByLabel('label 2 value').fill('facilities');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await labels
      .getByRole('alert')
      .getByText('labels: "bad-name" is not a valid label name')
      .waitFor();
    // A name given twice is caught before anything is sent, and shown at the rows too.
    await labels.getByLabel('label 1 key').fill('team');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await labels.getByRole('alert').getByText('The label "team" is set twice.').waitFor();
    await labels.getByLabel('label 1 key').fill('severity');
    await page.getByLabel('Summary (optional)').fill('Room {{ $labels.room is hot');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page
      .locator('#rule-summary-error')
      .getByText(/the template of "summary" is invalid/)
      .waitFor();
    expect(await page.getByText('labels: "bad-name"').count()).toBe(0);
    await page.getByLabel('Summary (optional)').fill('Room {{ $labels.room }} is hot');
    await page.getByLabel('Description (optional)').fill('It is {{ $value }} degrees');
    await page.getByLabel('Runbook URL (optional)').fill('https://runbooks.example.com/hot-room');
    await page.getByLabel('If the query returns no data').selectOption('ALERTING');
    await page.getByLabel('If the query fails').selectOption('OK');
    await Promise.all([
      page.waitForURL(`${web.url}/rules`),
      page.getByRole('button', { name: 'Save rule' }).click(),
    ]);
    expect(await stored()).toMatchObject({
      keepFiringFor: '10m',
      noDataState: 'ALERTING',
      errorState: 'OK',
      labels: { severity: 'page', team: 'facilities' },
      annotations: {
        summary: 'Room {{ $labels.room }} is hot',
        description: 'It is {{ $value }} degrees',
        runbook_url: 'https://runbooks.example.com/hot-room',
      },
      // The edit kept the condition the previous step saved.
      condition: expect.objectContaining({ kind: 'rate_of_change' }),
    });

    // Opened again, the form shows what was stored; removing a row removes the label.
    await page.getByRole('link', { name: 'Edit rule HotRoom' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit HotRoom' }).waitFor();
    expect(await page.getByLabel('Keep firing for').inputValue()).toBe('10m');
    expect(await page.getByLabel('If the query returns no data').inputValue()).toBe('ALERTING');
    expect(await labels.getByLabel('label 2 value').inputValue()).toBe('facilities');
    await shot(page, 'flow-rule-labels');
    await labels.getByRole('button', { name: 'Remove label team' }).click();
    await Promise.all([
      page.waitForURL(`${web.url}/rules`),
      page.getByRole('button', { name: 'Save rule' }).click(),
    ]);
    expect((await stored()).labels).toEqual({ severity: 'page' });
    expect((await stored()).keepFiringFor).toBe('10m');
  });

  it('sets quiet hours on the profile time zone’s clock, shown as such, and clears them', async () => {
    // The browser runs on UTC; the profile says Kathmandu (+05:45), so the two clocks differ.
    // (No mutation edits a profile's zone yet, hence SQL; put back afterwards for later steps.)
    const setZone = async (zone: string) => {
      const pg = new Client({ connectionString: process.env.DATABASE_URL });
      await pg.connect();
      try {
        await pg.query("update users set time_zone = $1 where email = 'ada@flow.example'", [zone]);
      } finally {
        await pg.end();
      }
    };
    await setZone('Asia/Kathmandu');
    try {
      await quietHoursSteps();
    } finally {
      await setZone('UTC');
    }
  });

  async function quietHoursSteps() {
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).not.toBe(
      'Asia/Kathmandu',
    );
    await page.goto('/oncall');
    const quiet = page.getByRole('group', { name: 'Quiet hours' });
    const zone = quiet.getByTestId('quiet-hours-zone');
    await zone.getByText('Asia/Kathmandu').waitFor();
    const there = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Kathmandu',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const before = there.format(new Date(Date.now() - 60_000));
    const after = there.format(new Date(Date.now() + 60_000));
    const shown = /now (\d\d:\d\d) there/.exec((await zone.textContent()) ?? '')?.[1];
    expect([before, there.format(new Date()), after]).toContain(shown);
    expect(await quiet.getByLabel('From (Asia/Kathmandu)').inputValue()).toBe('');

    await quiet.getByLabel('From (Asia/Kathmandu)').fill('22:00');
    await quiet.getByLabel('Until (Asia/Kathmandu)').fill('07:30');
    await quiet.getByRole('button', { name: 'Save quiet hours' }).click();
    await quiet
      .getByRole('status')
      .getByText('Saved: quiet from 22:00 to 07:30 (Asia/Kathmandu).')
      .waitFor();
    const q = '{ myQuietHours { quietHoursStart quietHoursEnd timeZone } }';
    expect((await gql(api.url, q, {}, { cookie })).data!.myQuietHours).toEqual({
      quietHoursStart: '22:00',
      quietHoursEnd: '07:30',
      timeZone: 'Asia/Kathmandu',
    });
    await page.reload();
    expect(await quiet.getByLabel('From (Asia/Kathmandu)').inputValue()).toBe('22:00');
    await shot(page, 'flow-quiet-hours');

    // Only one end set: the api refuses, and says so.
    await quiet.getByLabel('Until (Asia/Kathmandu)').fill('');
    await quiet.getByRole('button', { name: 'Save quiet hours' }).click();
    await quiet
      .getByRole('alert')
      .getByText(/Quiet hours are both HH:mm/)
      .waitFor();

    await quiet.getByRole('button', { name: 'Clear' }).click();
    await quiet.getByRole('status').getByText('Quiet hours cleared.').waitFor();
    expect((await gql(api.url, q, {}, { cookie })).data!.myQuietHours).toMatchObject({
      quietHoursStart: null,
      quietHoursEnd: null,
    });
  }

  it('shows on-call analytics with the acknowledged incident', async () => {
    await page.goto('/oncall/analytics');
    const summary = page.getByTestId('response-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/Incidents[1-9]\d*Acknowledged[1-9]/);
    await shot(page, 'flow-oncall-analytics');
  });

  it('shows usage against limits and lets the owner lower one', async () => {
    await page.goto('/settings/limits');
    const usage = page.getByRole('region', { name: 'Usage' });
    await usage.getByText('Active series').waitFor();
    // The flow pushed web_flow_temp: it is among the metrics with the most series.
    await usage.getByRole('cell', { name: 'web_flow_temp' }).waitFor();
    const form = page.getByRole('form', { name: 'Limits' });
    await form.getByLabel('Max active series').fill('5000');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await page.getByRole('status').filter({ hasText: 'Limits saved' }).waitFor();
    const limits = await gql(api.url, '{ organizationLimits { maxActiveSeries } }', {}, { cookie });
    expect(limits.data!.organizationLimits.maxActiveSeries).toBe(5000);
    await shot(page, 'settings-limits');
  });

  it('shows a user of another organization none of it', async () => {
    const other = await browser.newContext({
      baseURL: web.url,
      viewport: { width: 1280, height: 800 },
    });
    try {
      const p = await other.newPage();
      await signUpInBrowser(p, 'Bob Other', 'bob@other.example', 'Other Corp');
      await p.goto('/alerts');
      await p.getByTestId('alerts-empty').waitFor();
      await p.goto('/rules');
      await p.getByText('No rules yet.').waitFor();
      await p.goto('/dashboards');
      await p.getByText('No dashboards yet.').waitFor();
      await p.goto('/incidents');
      await p.getByText('No incidents.').waitFor();
      await p.goto(`/incidents/${incidentId}`);
      await p.getByText('Could not load this incident').waitFor();
      await p.goto(`/explore?q=${encodeURIComponent('web_flow_temp')}`);
      await p.getByText('No data for this query in the chosen range.').waitFor();
      await shot(p, 'flow-other-org-explore');
    } finally {
      await other.close();
    }
  });
});
