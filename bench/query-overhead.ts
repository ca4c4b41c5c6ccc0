// What a query_range request costs beyond the engine: the built api on a database `bench:query`
// kept with BENCH_KEEP_DB=1, against a bare node:http server (the floor: HTTP, loopback and the
// client, nothing else) on the same machine, with bench:query's request shape (undici fetch, form
// POST, `read` key, `Cache-Control: no-cache`).
//   node dist/bench/query-overhead.js --db tocsin_bench_query_… [--runs 30] [--gap 30]
// Env: DATABASE_URL (server; the database is the --db one), REDIS_URL, DATABASE_APP_PASSWORD.
// Every request is timed twice: back to back, as a client that sends its next request at once, and
// after --gap ms of quiet, as bench:query's requests (each waits for Prometheus' turn) and a
// dashboard's. `outside` is the client's time less the api's Server-Timing `handler`.
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { appUrlFrom } from '@tocsin/config';
import {
  cleanup,
  freePort,
  median,
  onCleanup,
  startTocsinApi,
  stringFlag,
  table,
} from './support/bench-infra';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The floor: a form POST read and answered with a body the size of `vector(1)`'s over an hour at 15 s. */
const FLOOR_SERVER = `
const http = require('node:http');
const values = Array.from({ length: 241 }, (_, i) => [1795800000 + i * 15, '1']);
const body = Buffer.from(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } }));
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (!new URLSearchParams(Buffer.concat(chunks).toString()).get('query')) res.statusCode = 400;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', body.length);
    res.end(body);
  });
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening'));
`;

async function startFloor(): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', FLOOR_SERVER, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onCleanup(() => {
    child.kill('SIGTERM');
  });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return `http://127.0.0.1:${port}`;
}

interface Timing {
  client: number;
  handler: number;
  select: number;
  eval: number;
}

async function main(): Promise<void> {
  const db = stringFlag('db', '');
  if (!db) throw new Error('--db <kept bench:query database> is required');
  const runs = Number(stringFlag('runs', '30'));
  const gap = Number(stringFlag('gap', '30'));
  const server = new URL(
    process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  );
  server.pathname = `/${db}`;
  const owner = new Client({ connectionString: server.toString() });
  await owner.connect();
  onCleanup(() => owner.end());
  const { rows: orgs } = await owner.query<{ id: string }>('SELECT id FROM organizations LIMIT 1');
  const { rows: last } = await owner.query<{ t: string }>(
    'SELECT greatest((SELECT max(max_ts) FROM sample_chunks), (SELECT max(max_ts) FROM sample_days)) AS t',
  );
  const end = Number(last[0].t);
  // A read key of the data's organization for this run only: the kept database is left as it was.
  const keyId = randomUUID();
  const secret = `tsn_${randomBytes(32).toString('base64url')}`;
  await owner.query(
    `INSERT INTO api_keys (id, org_id, name, prefix, secret_hash, scopes) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      keyId,
      orgs[0].id,
      'bench-overhead',
      secret.slice(0, 10),
      createHash('sha256').update(secret).digest('hex'),
      ['read'],
    ],
  );
  onCleanup(async () => {
    await owner.query('DELETE FROM api_keys WHERE id = $1', [keyId]);
  });

  const floorUrl = await startFloor();
  const api = await startTocsinApi({
    ownerUrl: server.toString(),
    appUrl: appUrlFrom(server.toString(), process.env.DATABASE_APP_PASSWORD ?? 'tocsin_app'),
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    owner,
  });

  const ask = async (
    url: string,
    query: string,
    startMs: number,
    step: number,
  ): Promise<Timing> => {
    const body = new URLSearchParams({
      query,
      start: String(startMs / 1000),
      end: String(end / 1000),
      step: String(step),
    });
    const t0 = performance.now();
    const res = await fetch(`${url}/api/v1/query_range`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Bearer ${secret}`,
        'cache-control': 'no-cache',
      },
      body,
    });
    const json = (await res.json()) as { status: string };
    const client = performance.now() - t0;
    if (json.status !== 'success') throw new Error(`${query}: ${JSON.stringify(json)}`);
    const st = res.headers.get('server-timing') ?? '';
    const dur = (name: string) => Number(new RegExp(`${name};dur=([\\d.]+)`).exec(st)?.[1] ?? NaN);
    return { client, handler: dur('handler'), select: dur('select'), eval: dur('eval') };
  };
  const series = async (
    url: string,
    query: string,
    startMs: number,
    step: number,
    n: number,
    pause: number,
  ) => {
    const out: Timing[] = [];
    for (let i = 0; i < n; i++) {
      if (pause) await sleep(pause);
      out.push(await ask(url, query, startMs, step));
    }
    return out;
  };
  const f = (x: number) => (Number.isNaN(x) ? '' : x.toFixed(2));
  const row = (name: string, ts: Timing[]) => {
    const m = (k: keyof Timing) => median(ts.map((t) => t[k]));
    return [
      name,
      f(m('client')),
      f(m('handler')),
      f(m('select')),
      f(m('eval')),
      f(median(ts.map((t) => t.client - t.handler))),
    ];
  };
  const head = ['requests', 'client', 'handler', 'select', 'eval', 'outside'];

  // A fresh api's first requests run its request path (express, Nest, auth, the handler) before V8
  // has optimised it; the api is asked nothing before this.
  const hour = end - 3_600_000;
  const warming: Array<Array<string>> = [];
  for (let b = 0; b < 4; b++)
    warming.push(
      row(
        `vector(1) ${b * 35 + 1}–${b * 35 + 35}`,
        await series(api.url, 'vector(1)', hour, 15, 35, 0),
      ),
    );
  console.log(`\na fresh api, back to back, medians (ms)\n\n${table(head, warming)}`);

  const queries: Array<[string, string, number, number]> = [
    ['vector(1) 1 h', 'vector(1)', hour, 15],
    ['1 h sum(rate)', 'sum(rate(http_requests_total[5m]))', hour, 15],
    [
      '7 d max by instance',
      'max by (instance) (node_cpu_temperature_celsius)',
      end - 7 * 86_400_000,
      1200,
    ],
    ['7 d sum(rate)', 'sum(rate(http_requests_total[5m]))', end - 7 * 86_400_000, 1200],
  ];
  const rows: Array<Array<string>> = [];
  for (const pause of [0, gap]) {
    const when = pause ? `after ${pause} ms quiet` : 'back to back';
    // The floor first, warmed as the api now is.
    await series(floorUrl, 'vector(1)', hour, 15, 100, 0);
    rows.push(
      row(
        `floor (bare node:http), ${when}`,
        await series(floorUrl, 'vector(1)', hour, 15, runs, pause),
      ),
    );
    for (const [name, query, startMs, step] of queries) {
      await series(api.url, query, startMs, step, 5, pause);
      rows.push(row(`${name}, ${when}`, await series(api.url, query, startMs, step, runs, pause)));
    }
  }
  console.log(`\nwarm (after the above), ${runs} runs each, medians (ms)\n\n${table(head, rows)}`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
