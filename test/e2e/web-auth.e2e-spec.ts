import { launchChromium, SCREENSHOTS } from './support/browser';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { gql, signUp, startApi, type RunningApi } from './support/api';
import { startWeb, type RunningWeb } from './support/web';

// Only the page.evaluate callbacks use these: they run in the browser. Declared here, not via
// lib "dom", which would retype fetch and friends for the whole Node program.
declare const document: any;
declare function getComputedStyle(element: unknown): any;

// The web app's critical path in headless Chromium against the real api: sign up, create and
// revoke an API key, invite someone, accept the invitation, log out, log in. Screenshots of
// the main pages land in docs/screenshots for review.

const PASSWORD = 'correct horse battery staple';

// Each step drives a real browser against a real api on a shared two-core machine.
jest.setTimeout(60_000);

describe('web app: sign-up to log-in in a browser', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  // Each test run has a fresh database (test/setup), so readable fixed addresses cannot clash
  // and keep the screenshots tidy.
  const email = 'ada@acme.example';
  const orgName = 'Acme Observability';
  let invitationUrl = '';
  const requested: string[] = [];

  beforeAll(async () => {
    api = await startApi();
    web = await startWeb({ apiUrl: api.url });
    browser = await launchChromium();
    owner = await browser.newContext({ baseURL: web.url, viewport: { width: 1280, height: 800 } });
    page = await owner.newPage();
    page.on('request', (request) => requested.push(request.url()));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.close();
  });

  const shot = (p: Page, name: string) =>
    p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('sends a visitor without a session to the login page, remembering where they were going', async () => {
    await page.goto('/settings/api-keys');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/settings/api-keys');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await shot(page, 'login');
  });

  it('signs up and lands on Home with the organization and the first steps', async () => {
    await page.goto('/signup');
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Organization name').fill(orgName);
    await shot(page, 'signup');
    await Promise.all([
      page.waitForURL(`${web.url}/`),
      page.getByRole('button', { name: 'Create account' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: orgName }).waitFor();
    await page.getByRole('heading', { name: 'First steps' }).waitFor();
    expect(await page.getByRole('link', { name: 'Create an API key' }).isVisible()).toBe(true);
    // The session cookie is the api's, httpOnly, and first-party thanks to the /graphql proxy.
    const cookie = (await owner.cookies()).find((c) => c.name === 'tocsin_session');
    expect(cookie?.httpOnly).toBe(true);
    await shot(page, 'home');
  });

  it('creates an API key, shows its secret once, then revokes it', async () => {
    await page.getByRole('link', { name: 'Create an API key' }).click();
    await page.waitForURL(`${web.url}/settings/api-keys`);
    await page.getByText('No API keys yet.').waitFor();
    await page.getByLabel('Name').fill('prometheus-prod');
    await page.getByLabel(/^Read/).check();
    await page.getByRole('button', { name: 'Create key' }).click();

    const secretField = page.getByTestId('api-key-secret');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret.length).toBeGreaterThanOrEqual(20);
    await page.getByText('This is the only time the secret is shown.').waitFor();
    await shot(page, 'api-key-created');

    await page.getByRole('button', { name: 'I have copied the key' }).click();
    await page.getByTestId('new-api-key').waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);
    const row = page.getByTestId('api-key-row-prometheus-prod');
    await row.getByText('Active').waitFor();
    expect(await row.textContent()).toContain('ingest, read');

    await row.getByRole('button', { name: 'Revoke key prometheus-prod' }).click();
    await row.getByRole('button', { name: 'Revoke key', exact: true }).click();
    await row.getByText('Revoked').waitFor();
    expect(await row.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
    await shot(page, 'api-keys');
  });

  it('invites a member and shows the link to copy, listed as pending', async () => {
    await page.getByRole('link', { name: 'Members' }).click();
    await page.waitForURL(`${web.url}/settings/members`);
    await page.getByText('It is just you so far.').waitFor();
    await page.getByText('No pending invitations.').waitFor();
    const invitee = 'grace@acme.example';
    await page.getByLabel('Email').fill(invitee);
    await page.getByLabel('Role', { exact: true }).selectOption('RESPONDER');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const link = page.getByTestId('invitation-url');
    await link.waitFor();
    invitationUrl = await link.inputValue();
    expect(invitationUrl).toMatch(/\/invite\/[^/]+$/);
    const pending = page.getByRole('region', { name: 'Pending invitations' });
    await pending.getByRole('cell', { name: invitee, exact: true }).waitFor();
    await shot(page, 'members');
  });

  it('lets the invitee create an account from the link, with a responder’s view of members', async () => {
    const visitor = await browser.newContext({
      baseURL: web.url,
      viewport: { width: 390, height: 844 },
    });
    try {
      const invitePage = await visitor.newPage();
      // The api builds links from PUBLIC_WEB_URL; the test's web app runs on another port.
      await invitePage.goto(new URL(invitationUrl).pathname);
      await invitePage.getByRole('heading', { name: `Join ${orgName}` }).waitFor();
      await shot(invitePage, 'invite-phone');
      await invitePage.getByLabel('Your name').fill('Grace Hopper');
      await invitePage.getByLabel('Password').fill(PASSWORD);
      await Promise.all([
        invitePage.waitForURL(`${web.url}/`),
        invitePage.getByRole('button', { name: 'Create account and join' }).click(),
      ]);
      await invitePage.getByRole('heading', { level: 1, name: orgName }).waitFor();
      await invitePage.goto('/settings/members');
      await invitePage.getByRole('cell', { name: 'Ada Lovelace', exact: true }).waitFor();
      // A responder may look but not change: no invite form, no role selects, no remove buttons.
      expect(await invitePage.getByRole('button', { name: 'Create invitation link' }).count()).toBe(
        0,
      );
      expect(await invitePage.getByRole('combobox').count()).toBe(0);
      expect(await invitePage.getByRole('button', { name: /Remove/ }).count()).toBe(0);
      // Nor the settings only admins can use.
      const nav = invitePage.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: 'API keys' }).count()).toBe(0);
      expect(await nav.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
      await shot(invitePage, 'members-responder-phone');
    } finally {
      await visitor.close();
    }
  });

  it('shows what happened in the audit log', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(`${web.url}/settings/audit-log`);
    const table = page.getByRole('table');
    await table.waitFor();
    expect(await table.getByRole('row').count()).toBeGreaterThan(1);
    await shot(page, 'audit-log');
  });

  it('logs out from the user menu, and the app is closed again', async () => {
    const menu = page.getByLabel('Account menu for Ada Lovelace');
    await menu.click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Log out' }).waitFor({ state: 'hidden' });
    await menu.click();
    await Promise.all([
      page.waitForURL(/\/login$/),
      page.getByRole('button', { name: 'Log out' }).click(),
    ]);
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('refuses a wrong password with the api’s message, then logs in', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Could not log in' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Check the email and password');
    await shot(page, 'login-error');

    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([
      page.waitForURL(`${web.url}/`),
      page.getByRole('button', { name: 'Log in' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: orgName }).waitFor();
  });

  it('joins a second organization from a link while logged in, then switches back', async () => {
    const other = await signUp(api.url, 'web-other');
    const invite = await gql(
      api.url,
      'mutation($e: String!) { inviteMember(input: { email: $e, role: VIEWER }) { url } }',
      { e: email },
      { token: other.token },
    );
    expect(invite.errors).toBeUndefined();
    await page.goto(new URL(invite.data!.inviteMember.url as string).pathname);
    await page.getByText('You are logged in as').waitFor();
    await Promise.all([
      page.waitForURL(`${web.url}/`),
      page.getByRole('button', { name: 'Accept and join web-other org' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: 'web-other org' }).waitFor();
    // A viewer there: Home offers no key creation, and the settings only admins use are gone.
    expect(await page.getByRole('link', { name: 'Create an API key' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);

    const switcher = page.getByLabel('Organization');
    const acme = await switcher.locator('option', { hasText: orgName }).getAttribute('value');
    await Promise.all([page.waitForURL(`${web.url}/`), switcher.selectOption(acme!)]);
    await page.getByRole('heading', { level: 1, name: orgName }).waitFor();
    await shot(page, 'home-two-organizations');
  });

  it('follows the system dark mode', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/settings/api-keys');
    await page.getByTestId('api-key-row-prometheus-prod').waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(15, 18, 22)');
    await shot(page, 'api-keys-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('sends the browser to log in when the api stops accepting its session mid-page', async () => {
    await page.goto('/settings/api-keys');
    await page.getByRole('heading', { name: 'Create an API key' }).waitFor();
    await owner.clearCookies();
    await page.getByLabel('Name').fill('too-late');
    await Promise.all([
      page.waitForURL(/\/login\?next=/),
      page.getByRole('button', { name: 'Create key' }).click(),
    ]);
    expect(new URL(page.url()).searchParams.get('next')).toBe('/settings/api-keys');
  });

  it('treats a session cookie the api rejects like no session at all', async () => {
    const stale = await browser.newContext({ baseURL: web.url });
    try {
      await stale.addCookies([
        { name: 'tocsin_session', value: 'tss_not-a-real-session', url: web.url },
      ]);
      const stalePage = await stale.newPage();
      await stalePage.goto('/settings/members');
      expect(new URL(stalePage.url()).pathname).toBe('/login');
      await stalePage.getByRole('heading', { name: 'Log in' }).waitFor();
    } finally {
      await stale.close();
    }
  });

  it('only ever talked to its own origin: the api is reached through /graphql on the web app', () => {
    expect(requested.some((url) => url.startsWith(`${web.url}/graphql`))).toBe(true);
    expect(requested.filter((url) => !url.startsWith(web.url))).toEqual([]);
  });
});
