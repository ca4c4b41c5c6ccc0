import type { NextFunction, Request, Response } from 'express';
import { json, urlencoded } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** Routes that read their own bodies: ingest (raw-body middleware, per-organization limits). */
const OWN_BODY_PATHS = new Set(['/api/v1/write', '/api/v1/push', '/api/v2/write']);

/**
 * JSON and form bodies up to 1 MB for everything else (GraphQL, webhooks). Not for the ingest
 * routes: a JSON push body is read raw there, so that it may be as large as the organization's
 * ingest limit and gzip-encoded, rather than capped at 1 MB by a parser that runs first.
 */
export function useApiBodyParsers(app: NestExpressApplication): void {
  const parseJson = json({ limit: '1mb' });
  const parseForm = urlencoded({ extended: false, limit: '1mb' });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'POST' && OWN_BODY_PATHS.has(req.path)) return next();
    parseJson(req, res, (err?: unknown) => (err ? next(err) : parseForm(req, res, next)));
  });
}
