import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { IngestFn, IngestKind } from '@tocsin/ingest';
import { Authenticator } from '@tocsin/auth';
import { AppError } from '@tocsin/graphql';
import {
  Permission,
  Public,
  RequirePermission,
  type AuthenticatedRequest,
  type RequestContext,
} from '@tocsin/tenancy';
import { INGEST_HANDLER } from './ingest.tokens';
import { OrgLimitsService } from './org-limits.service';

/**
 * The metric ingest routes. Authentication is the app's (an API key with the `ingest` scope as a
 * Bearer token or the basic-auth password); everything else is the framework-free handler of
 * libs/ingest, which answers only once the samples are committed.
 */
@Controller('api')
export class IngestController {
  constructor(
    @Inject(INGEST_HANDLER) private readonly ingest: IngestFn,
    private readonly limits: OrgLimitsService,
    private readonly authenticator: Authenticator,
  ) {}

  /** Prometheus remote_write 1.0 (snappy-compressed protobuf). */
  @Post('v1/write')
  @RequirePermission(Permission.MetricsIngest)
  remoteWrite(@Req() req: Request & AuthenticatedRequest, @Res() res: Response): Promise<void> {
    return this.handle('remote_write', req, res);
  }

  /** The JSON push format (libs/ingest/README.md). */
  @Post('v1/push')
  @RequirePermission(Permission.MetricsIngest)
  push(@Req() req: Request & AuthenticatedRequest, @Res() res: Response): Promise<void> {
    return this.handle('json', req, res);
  }

  /**
   * InfluxDB 2 line protocol write (`?precision=ns|us|ms|s`; org and bucket are ignored).
   * Public to the global guard only so that InfluxDB 2 clients' `Authorization: Token <key>`
   * (Telegraf's influxdb_v2 output cannot send anything else) can be read here; the same
   * organization and ingest permission as the other routes are then required.
   */
  @Post('v2/write')
  @Public()
  async influxWrite(
    @Req() req: Request & AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const auth = req.auth ?? (await this.influxToken(req));
    if (!auth) throw AppError.unauthenticated();
    if (!auth.orgId) throw AppError.unauthenticated('Choose an organization first');
    if (!auth.permissions.has(Permission.MetricsIngest)) {
      throw AppError.forbidden(
        `Your ${auth.apiKeyId ? 'API key scopes' : 'role'} do not allow ${Permission.MetricsIngest}`,
      );
    }
    req.auth = auth;
    return this.handle('influx', req, res);
  }

  private async influxToken(req: Request): Promise<RequestContext | null> {
    const header = req.headers.authorization;
    if (!header || !/^token\s+/i.test(header)) return null;
    return this.authenticator.authenticate({
      authorization: header.replace(/^token\s+/i, 'Bearer '),
      ip: req.ip,
    });
  }

  private async handle(
    kind: IngestKind,
    req: Request & AuthenticatedRequest,
    res: Response,
  ): Promise<void> {
    // The access guard has already required an organization with the ingest permission.
    const orgId = req.auth!.orgId!;
    const limits = await this.limits.forOrg(orgId);
    const raw = Buffer.isBuffer(req.body) ? req.body : undefined;
    // The app-wide JSON parser reads application/json bodies before route middleware runs.
    const parsedJson =
      kind === 'json' && !raw && req.body !== undefined && typeof req.body === 'object'
        ? req.body
        : undefined;
    const result = await this.ingest(
      kind,
      {
        body: raw ?? Buffer.alloc(0),
        contentType: req.headers['content-type'],
        contentEncoding: req.headers['content-encoding'],
        query: req.query as Record<string, unknown>,
        parsedJson,
      },
      { orgId, limits },
    );
    res.status(result.status);
    for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
    if (result.body) res.json(result.body);
    else res.end();
  }
}
