import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { IngestFn, IngestKind } from '@tocsin/ingest';
import { Permission, RequirePermission, type AuthenticatedRequest } from '@tocsin/tenancy';
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

  /** InfluxDB 2 line protocol write (`?precision=ns|us|ms|s`; org and bucket are ignored). */
  @Post('v2/write')
  @RequirePermission(Permission.MetricsIngest)
  influxWrite(@Req() req: Request & AuthenticatedRequest, @Res() res: Response): Promise<void> {
    return this.handle('influx', req, res);
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
