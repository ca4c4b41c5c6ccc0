import { Readable } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { rawBodyMiddleware } from './raw-body.middleware';

function fakeRes() {
  const res = { statusCode: 0, body: undefined as unknown };
  const api = {
    status(code: number) {
      res.statusCode = code;
      return api;
    },
    json(body: unknown) {
      res.body = body;
      return api;
    },
  };
  return { res, api: api as unknown as Response };
}

function run(chunks: Buffer[], limit: number, headers: Record<string, string> = {}) {
  const req = Object.assign(Readable.from(chunks), { headers }) as unknown as Request;
  const { res, api } = fakeRes();
  return new Promise<{ req: Request; res: typeof res; nextCalled: boolean }>((resolve) => {
    const next: NextFunction = () => resolve({ req, res, nextCalled: true });
    rawBodyMiddleware(limit)(req, api, next);
    req.on('end', () => setImmediate(() => resolve({ req, res, nextCalled: false })));
  });
}

describe('rawBodyMiddleware', () => {
  it('collects a chunked body into one Buffer, bytes untouched', async () => {
    const { req, nextCalled } = await run([Buffer.from([0xff, 0x00]), Buffer.from([0x01])], 10);
    expect(nextCalled).toBe(true);
    expect(req.body).toEqual(Buffer.from([0xff, 0x00, 0x01]));
  });

  it('answers 413 once a body without Content-Length passes the limit', async () => {
    const { res, nextCalled } = await run([Buffer.alloc(6), Buffer.alloc(6)], 10);
    expect(nextCalled).toBe(false);
    expect(res.statusCode).toBe(413);
    expect(res.body).toMatchObject({ id: 'request-too-large' });
  });

  it('answers 413 from a declared Content-Length without reading', async () => {
    const { res, nextCalled } = await run([Buffer.alloc(1)], 10, { 'content-length': '11' });
    expect(nextCalled).toBe(false);
    expect(res.statusCode).toBe(413);
  });
});
