import { Controller, Get, Logger, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { loadConfig } from '@tocsin/config';
import { IncidentsService, escapeXml, verifyLink, verifyTwilioSignature } from '@tocsin/oncall';
import { Public } from '@tocsin/tenancy';
import { OncallHttpService } from './oncall-http.service';

function twiml(res: Response, status: number, inner: string): void {
  res
    .status(status)
    .setHeader('content-type', 'text/xml; charset=utf-8')
    .send(`<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`);
}

const COMMAND = /^\s*(ACK|ACKNOWLEDGE|RES|RESOLVE)\s*#?\s*(\d{1,9})\s*$/i;

/**
 * Inbound Twilio webhooks: SMS replies (`ACK 12`, `RES 12`) and the voice call's keypad. Every
 * request must carry a valid X-Twilio-Signature made with TWILIO_AUTH_TOKEN; anything else is 403.
 */
@Controller('api/v1/oncall/twilio')
export class TwilioWebhooksController {
  private readonly logger = new Logger('twilio');

  constructor(
    private readonly http: OncallHttpService,
    private readonly incidents: IncidentsService,
  ) {}

  @Post('sms')
  @Public()
  async sms(@Req() req: Request, @Res() res: Response): Promise<void> {
    const params = this.signed(req);
    if (!params) return void res.status(403).send('invalid signature');
    const from = String(params.From ?? '').trim();
    const m = COMMAND.exec(String(params.Body ?? ''));
    if (!m)
      return twiml(
        res,
        200,
        '<Message>Reply ACK &lt;number&gt; to acknowledge or RES &lt;number&gt; to resolve.</Message>',
      );
    const action = m[1].toUpperCase().startsWith('ACK') ? 'ack' : 'resolve';
    const number = Number(m[2]);
    // Only numbers verified by their owner can act, and only in organizations where that owner may respond.
    const candidates: Array<{ orgId: string; userId: string; incidentId: string }> = [];
    for (const owner of await this.http.phoneOwners(from)) {
      const inc = await this.incidents.byNumber(owner.orgId, number);
      if (
        inc &&
        inc.status !== 'RESOLVED' &&
        (await this.http.mayRespond(owner.orgId, owner.userId))
      ) {
        candidates.push({ ...owner, incidentId: inc.id });
      }
    }
    if (candidates.length === 0)
      return twiml(res, 200, `<Message>No open incident #${number} for this number.</Message>`);
    if (candidates.length > 1)
      return twiml(
        res,
        200,
        `<Message>#${number} is open in several of your organizations; use the link in the page.</Message>`,
      );
    const c = candidates[0];
    const inc = await this.http.act(c.orgId, c.incidentId, action, {
      userId: c.userId,
      via: 'sms',
    });
    twiml(res, 200, `<Message>#${inc.number} ${escapeXml(inc.status.toLowerCase())}.</Message>`);
  }

  /** The call's TwiML: read the incident and gather one key. Twilio fetches it with POST (or GET). */
  @Post('voice/:token')
  @Public()
  voicePost(
    @Param('token') token: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.voice(token, req, res);
  }

  @Get('voice/:token')
  @Public()
  voiceGet(
    @Param('token') token: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.voice(token, req, res);
  }

  @Post('voice/:token/gather')
  @Public()
  async gather(
    @Param('token') token: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const params = this.signed(req);
    if (!params) return void res.status(403).send('invalid signature');
    const v = verifyLink(token, 'voice');
    if (!v.ok || !v.claims.i || !(await this.http.mayRespond(v.claims.o, v.claims.u)))
      return twiml(res, 200, '<Say>This call can no longer acknowledge.</Say><Hangup/>');
    if (String(params.Digits ?? '') !== '4')
      return twiml(res, 200, '<Say>Not acknowledged. Goodbye.</Say><Hangup/>');
    const inc = await this.http.act(v.claims.o, v.claims.i, 'ack', {
      userId: v.claims.u,
      via: 'voice',
    });
    twiml(
      res,
      200,
      `<Say>Incident ${inc.number} is ${escapeXml(inc.status.toLowerCase())}. Goodbye.</Say><Hangup/>`,
    );
  }

  private async voice(token: string, req: Request, res: Response): Promise<void> {
    const params = this.signed(req);
    if (!params) return void res.status(403).send('invalid signature');
    const v = verifyLink(token, 'voice');
    if (!v.ok || !v.claims.i) return twiml(res, 200, '<Say>This call has expired.</Say><Hangup/>');
    const inc = await this.http.findIncident(v.claims.o, v.claims.i);
    if (!inc) return twiml(res, 200, '<Say>Incident not found.</Say><Hangup/>');
    const action = `${req.originalUrl.split('?')[0].replace(/\/+$/, '')}/gather`;
    twiml(
      res,
      200,
      `<Gather numDigits="1" method="POST" action="${escapeXml(action)}" timeout="10">` +
        `<Say>Tocsin incident ${inc.number}. ${escapeXml(inc.title)}. Press 4 to acknowledge.</Say></Gather><Say>No input. Goodbye.</Say><Hangup/>`,
    );
  }

  /**
   * The parameters if the signature is Twilio's. Twilio signs the URL it called: behind a proxy
   * that is PUBLIC_API_URL plus the path; directly, it is what this request's host says.
   */
  private signed(req: Request): Record<string, string> | null {
    const token = loadConfig().TWILIO_AUTH_TOKEN ?? '';
    if (!token) {
      this.logger.warn('TWILIO_AUTH_TOKEN is not set: refusing Twilio webhooks');
      return null;
    }
    const params: Record<string, string> = {};
    if (
      req.method === 'POST' &&
      req.body &&
      typeof req.body === 'object' &&
      !Buffer.isBuffer(req.body)
    ) {
      for (const [k, v] of Object.entries(req.body as Record<string, unknown>))
        params[k] = Array.isArray(v) ? String(v[0]) : String(v);
    }
    const header = req.header('x-twilio-signature');
    const urls = [
      `${loadConfig().PUBLIC_API_URL.replace(/\/+$/, '')}${req.originalUrl}`,
      `${req.protocol}://${req.get('host')}${req.originalUrl}`,
    ];
    return urls.some((url) => verifyTwilioSignature(token, url, params, header)) ? params : null;
  }
}
