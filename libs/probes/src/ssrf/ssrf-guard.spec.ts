import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { embeddedIpv4, isBlockedAddress, parseLooseIpv4 } from './address-policy';
import { GuardedFetchError, guardedConnect, guardedFetch } from './guarded-fetch';
import { SsrfGuard, type HostResolver } from './ssrf-guard';

describe('address policy', () => {
  it.each([
    ['127.0.0.1'], ['127.255.0.9'], ['10.1.2.3'], ['172.16.0.1'], ['172.31.255.255'], ['192.168.1.1'],
    ['169.254.169.254'], ['100.64.0.1'], ['100.127.255.255'], ['0.0.0.0'], ['224.0.0.1'], ['255.255.255.255'],
    ['::1'], ['::'], ['fc00::1'], ['fd12:3456::1'], ['fe80::1'], ['ff02::1'],
    ['::ffff:127.0.0.1'], ['::ffff:7f00:1'], ['::ffff:a9fe:a9fe'], ['::127.0.0.1'], ['64:ff9b::7f00:1'], ['2002:7f00:1::'],
    ['64:ff9b:1::a00:1'], ['2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    // Encoded IPv4 forms, as getaddrinfo would read them.
    ['2130706433'], ['0x7f000001'], ['0177.0.0.1'], ['127.1'], ['0x7f.1'], ['017700000001'],
    ['not-an-address'],
  ])('%s is blocked', (a) => {
    expect(isBlockedAddress(a)).toBe(true);
  });

  it.each([['8.8.8.8'], ['1.1.1.1'], ['172.32.0.1'], ['100.128.0.1'], ['2001:4860:4860::8888'], ['::ffff:8.8.8.8']])('%s is public', (a) => {
    expect(isBlockedAddress(a)).toBe(false);
  });

  it('decodes inet_aton forms and rejects impossible ones', () => {
    expect(parseLooseIpv4('2130706433')).toBe('127.0.0.1');
    expect(parseLooseIpv4('0x7f000001')).toBe('127.0.0.1');
    expect(parseLooseIpv4('0177.0.0.1')).toBe('127.0.0.1');
    expect(parseLooseIpv4('127.1')).toBe('127.0.0.1');
    expect(parseLooseIpv4('10.0x10.1')).toBe('10.16.0.1');
    expect(parseLooseIpv4('256.1.1.1')).toBeNull();
    expect(parseLooseIpv4('08.1.1.1')).toBeNull();
    expect(parseLooseIpv4('example.com')).toBeNull();
    expect(embeddedIpv4('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(embeddedIpv4('2001:db8::1')).toBeNull();
  });
});

describe('SsrfGuard with a stubbed resolver (no real DNS)', () => {
  const answers: Record<string, string[]> = {
    'public.test': ['93.184.216.34'],
    'metadata.test': ['169.254.169.254'],
    'mixed.test': ['93.184.216.34', '10.0.0.5'],
    'mapped.test': ['::ffff:127.0.0.1'],
    'v6local.test': ['fe80::1'],
  };
  const calls: string[] = [];
  const resolver: HostResolver = async (h) => {
    calls.push(h);
    const list = answers[h];
    if (!list) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const guard = new SsrfGuard({ allowPrivate: false, resolver });

  it('allows a public answer and returns the address to pin', async () => {
    await expect(guard.resolve('public.test')).resolves.toEqual({ address: '93.184.216.34', family: 4 });
  });

  it.each([['metadata.test'], ['mixed.test'], ['mapped.test'], ['v6local.test']])('refuses %s', async (h) => {
    await expect(guard.resolve(h)).rejects.toMatchObject({ code: 'ESSRF' });
  });

  it('decodes literal encodings itself instead of asking the resolver', async () => {
    calls.length = 0;
    for (const h of ['2130706433', '0x7f000001', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]', '[::1]']) {
      await expect(guard.resolve(h)).rejects.toMatchObject({ code: 'ESSRF' });
    }
    expect(calls).toEqual([]);
  });

  it('reports unresolvable names as resolve errors, not crashes', async () => {
    await expect(guard.resolve('nope.test')).rejects.toMatchObject({ code: 'ERESOLVE' });
    expect(await guard.check('nope.test')).toMatchObject({ allowed: false });
  });

  it('lets everything through when the deployment allows private targets', async () => {
    const open = new SsrfGuard({ allowPrivate: true, resolver });
    await expect(open.resolve('metadata.test')).resolves.toMatchObject({ address: '169.254.169.254' });
  });
});

describe('guardedFetch and guardedConnect against loopback only', () => {
  let canary: Server;
  let canaryBytes = 0;
  let canaryPort = 0;
  let redirector: Server;
  let redirectorPort = 0;
  let tcpCanary: NetServer;
  let tcpBytes = 0;
  let tcpConnections = 0;
  let tcpPort = 0;

  beforeAll(async () => {
    canary = createServer((req, res) => res.end('canary'));
    canary.on('connection', (s) => s.on('data', (d: Buffer) => (canaryBytes += d.length)));
    await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
    canaryPort = (canary.address() as AddressInfo).port;
    redirector = createServer((req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${canaryPort}/via-redirect` }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    redirectorPort = (redirector.address() as AddressInfo).port;
    tcpCanary = createNetServer((s) => {
      tcpConnections++;
      s.on('data', (d) => (tcpBytes += d.length));
      s.end();
    });
    await new Promise<void>((r) => tcpCanary.listen(0, '127.0.0.1', r));
    tcpPort = (tcpCanary.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await Promise.all([canary, redirector, tcpCanary].map((s) => new Promise((r) => s.close(r))));
  });

  it('sends the canary 0 bytes directly, by encoded literal, by name, and through a redirect', async () => {
    const closed = new SsrfGuard({ allowPrivate: false });
    // Stands in for a public redirector: only "redirector.test" is let through (to loopback, as
    // tests never leave 127.0.0.1); every other host is judged strictly, so the canary staying
    // silent proves the redirect hop was judged again.
    const strict = new SsrfGuard({ allowPrivate: false });
    const firstHopOnly = Object.assign(Object.create(SsrfGuard.prototype) as SsrfGuard, {
      resolveAll: async (host: string) => (host === 'redirector.test' ? [{ address: '127.0.0.1', family: 4 as const }] : strict.resolveAll(host)),
    });
    for (const url of [
      `http://127.0.0.1:${canaryPort}/`,
      `http://2130706433:${canaryPort}/`,
      `http://0x7f000001:${canaryPort}/`,
      `http://localhost:${canaryPort}/`,
      `http://[::ffff:127.0.0.1]:${canaryPort}/`,
      `http://127.0.0.1:${redirectorPort}/`,
    ]) {
      await expect(guardedFetch(closed, { url, timeoutMs: 2000 })).rejects.toMatchObject({ kind: 'blocked' });
    }
    await expect(guardedFetch(firstHopOnly, { url: `http://redirector.test:${redirectorPort}/`, timeoutMs: 2000 })).rejects.toMatchObject({ kind: 'blocked' });
    await expect(guardedConnect(closed, '127.1', tcpPort, 1000)).rejects.toBeInstanceOf(GuardedFetchError);
    expect(canaryBytes).toBe(0);
    expect(tcpConnections).toBe(0);
    expect(tcpBytes).toBe(0);
  });

  it('reaches the same targets, following the redirect, when private targets are allowed', async () => {
    const open = new SsrfGuard({ allowPrivate: true });
    const res = await guardedFetch(open, { url: `http://127.0.0.1:${redirectorPort}/`, timeoutMs: 2000 });
    expect(res).toMatchObject({ status: 200, redirects: 1, url: `http://127.0.0.1:${canaryPort}/via-redirect` });
    expect(res.body.toString()).toBe('canary');
    expect(canaryBytes).toBeGreaterThan(0);
    const socket = await guardedConnect(open, '127.0.0.1', tcpPort, 1000);
    socket.destroy();
    expect(tcpConnections).toBe(1);
  });

  it('connects to the checked address, never re-resolving the name', async () => {
    let lookups = 0;
    const guard = new SsrfGuard({
      allowPrivate: true,
      resolver: async () => {
        lookups++;
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    // "rebind.invalid" does not exist in DNS: the request only works if the socket uses the pinned address.
    const res = await guardedFetch(guard, { url: `http://rebind.invalid:${canaryPort}/`, timeoutMs: 2000 });
    expect(res.status).toBe(200);
    expect(lookups).toBe(1);
  });

  it('tries the next checked address when the first cannot be reached, for HTTP and TCP', async () => {
    // 127.0.0.2 answers nothing on these ports (the servers listen on 127.0.0.1 only): refused at once.
    const guard = new SsrfGuard({
      allowPrivate: true,
      resolver: async () => [
        { address: '127.0.0.2', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
    });
    const res = await guardedFetch(guard, { url: `http://two.invalid:${canaryPort}/`, timeoutMs: 3000 });
    expect(res.status).toBe(200);
    const before = tcpConnections;
    const socket = await guardedConnect(guard, 'two.invalid', tcpPort, 3000);
    expect(socket.remoteAddress).toBe('127.0.0.1');
    socket.destroy();
    expect(tcpConnections).toBe(before + 1);
    // Every address is still judged: one private answer among public ones refuses the host.
    const strict = new SsrfGuard({
      allowPrivate: false,
      resolver: async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
    });
    await expect(guardedConnect(strict, 'two.invalid', tcpPort, 1000)).rejects.toMatchObject({ kind: 'blocked' });
  });

  it('stops after 5 redirects', async () => {
    const loop = createServer((req, res) => res.writeHead(307, { location: '/again' }).end());
    await new Promise<void>((r) => loop.listen(0, '127.0.0.1', r));
    const port = (loop.address() as AddressInfo).port;
    try {
      await expect(guardedFetch(new SsrfGuard({ allowPrivate: true }), { url: `http://127.0.0.1:${port}/`, timeoutMs: 3000 })).rejects.toMatchObject({ kind: 'redirects' });
    } finally {
      await new Promise((r) => loop.close(r));
    }
  });

  it('keeps credentials on a same-origin redirect and drops them on a redirect to another origin', async () => {
    const seen: { at: string; authorization?: string; cookie?: string; custom?: string }[] = [];
    const other = createServer((req, res) => {
      seen.push({ at: 'other', authorization: req.headers.authorization, cookie: req.headers.cookie, custom: req.headers['x-custom'] as string });
      res.end('other');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherPort = (other.address() as AddressInfo).port;
    // Same host, another port: another origin (as an attacker-controlled service on the target would be).
    const target = createServer((req, res) => {
      seen.push({ at: req.url!, authorization: req.headers.authorization, cookie: req.headers.cookie, custom: req.headers['x-custom'] as string });
      if (req.url === '/start') res.writeHead(302, { location: '/same' }).end();
      else res.writeHead(307, { location: `http://127.0.0.1:${otherPort}/elsewhere` }).end();
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const port = (target.address() as AddressInfo).port;
    try {
      const res = await guardedFetch(new SsrfGuard({ allowPrivate: true }), {
        url: `http://127.0.0.1:${port}/start`,
        headers: { Authorization: 'Bearer secret', cookie: 'sid=1', 'x-custom': 'kept' },
        timeoutMs: 3000,
      });
      expect(res).toMatchObject({ status: 200, redirects: 2 });
      expect(seen).toEqual([
        { at: '/start', authorization: 'Bearer secret', cookie: 'sid=1', custom: 'kept' },
        { at: '/same', authorization: 'Bearer secret', cookie: 'sid=1', custom: 'kept' },
        { at: 'other', authorization: undefined, cookie: undefined, custom: 'kept' },
      ]);
    } finally {
      await Promise.all([target, other].map((s) => new Promise((r) => s.close(r))));
    }
  });

  it('refuses non-HTTP schemes as invalid', async () => {
    await expect(guardedFetch(new SsrfGuard({ allowPrivate: true }), { url: 'file:///etc/passwd', timeoutMs: 100 })).rejects.toMatchObject({ kind: 'invalid' });
  });
});
