import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { AlertIntakeService, parseAlertmanagerBody, parseWebhookBody } from '@tocsin/alerting';
import { AppError } from '@tocsin/graphql';
import { Permission, Public, type AuthenticatedRequest } from '@tocsin/tenancy';

/**
 * Alerts from outside: Alertmanager's `POST /api/v2/alerts` (so Prometheus and anything else
 * that speaks to an Alertmanager can send here) and a generic webhook keyed by a dedup key.
 * Marked public for the guard because either of two permissions will do; the check is below.
 */
@Controller('api')
export class AlertIntakeController {
  constructor(private readonly intake: AlertIntakeService) {}

  @Post('v2/alerts')
  @Public()
  @HttpCode(200)
  async alertmanager(@Req() req: AuthenticatedRequest, @Body() body: unknown): Promise<void> {
    const orgId = this.authorize(req);
    await this.intake.postAlertmanager(orgId, parseAlertmanagerBody(body));
  }

  @Post('v1/alerts/webhook')
  @Public()
  @HttpCode(202)
  async webhook(
    @Req() req: AuthenticatedRequest,
    @Body() body: unknown,
  ): Promise<{ status: string; fingerprint: string }> {
    const orgId = this.authorize(req);
    const r = await this.intake.postWebhook(orgId, parseWebhookBody(body));
    return { status: 'accepted', fingerprint: r.fingerprint };
  }

  /** An API key (or member) of an organization with the ingest or the write scope. */
  private authorize(req: AuthenticatedRequest): string {
    const auth = req.auth;
    if (!auth)
      throw AppError.unauthenticated(
        'Send an API key with the ingest or write scope as a Bearer token',
      );
    if (!auth.orgId) throw AppError.unauthenticated('Choose an organization first');
    if (
      !auth.permissions.has(Permission.MetricsIngest) &&
      !auth.permissions.has(Permission.ConfigWrite)
    ) {
      throw AppError.forbidden('Posting alerts needs an API key with the ingest or write scope');
    }
    return auth.orgId;
  }
}
