import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedRequest } from '@tocsin/tenancy';
import { Authenticator } from './authenticator';
import { SESSION_COOKIE } from './sessions/sessions.service';

/** Authenticates every HTTP request once; guards then only read `req.auth`. */
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  constructor(private readonly authenticator: Authenticator) {}

  async use(req: Request & AuthenticatedRequest, _res: Response, next: NextFunction): Promise<void> {
    try {
      req.auth = await this.authenticator.authenticate({
        authorization: req.headers.authorization,
        cookie: (req as Request & { cookies?: Record<string, string> }).cookies?.[SESSION_COOKIE],
        ip: req.ip,
      });
      next();
    } catch (err) {
      next(err);
    }
  }
}
