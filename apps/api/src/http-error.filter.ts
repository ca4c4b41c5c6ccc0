import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from '@tocsin/graphql';

/**
 * Plain HTTP routes answer `{ status: 'error', errorType, error }` with the right status: the
 * shape Prometheus clients understand. GraphQL errors never reach this filter.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType<string>() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof AppError) {
      res.status(exception.httpStatus).json({ status: 'error', errorType: exception.code, error: exception.message, ...exception.details });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: string }).message ?? exception.message);
      res.status(status).json({ status: 'error', errorType: status >= 500 ? 'internal' : 'bad_data', error: message });
      return;
    }
    const e = exception as { type?: string; status?: number; message?: string };
    // body-parser errors (too large, malformed JSON) carry their own status.
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ status: 'error', errorType: 'bad_data', error: e.message ?? 'Bad request' });
      return;
    }
    this.logger.error(exception);
    res.status(500).json({ status: 'error', errorType: 'internal', error: 'Internal server error' });
  }
}
