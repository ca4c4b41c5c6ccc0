import type { NextFunction, Request, Response } from 'express';

/**
 * Reads the request body into a Buffer, untouched. Not body-parser's `raw`: that one refuses any
 * Content-Encoding it cannot inflate itself, and remote_write bodies are `snappy`, which the
 * ingest codec decodes. A body over `limit` is answered with 413 without being buffered.
 */
export function rawBodyMiddleware(limit: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // The app's global JSON parser may already have read an application/json body.
    if ((req as Request & { _body?: boolean })._body || req.readableEnded) return next();
    const tooLarge = (): void => {
      res.status(413).json({
        status: 'error',
        errorType: 'bad_data',
        id: 'request-too-large',
        error: `body is larger than the limit of ${limit} bytes`,
      });
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      tooLarge();
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      req.body = Buffer.concat(chunks, size);
      next();
    });
    req.on('error', (err) => {
      if (!refused) next(err);
    });
  };
}
