import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '@tocsin/graphql';
import { escapeXml, verifyLink, type LinkClaims } from '@tocsin/oncall';
import { Public } from '@tocsin/tenancy';
import { OncallHttpService, type LinkAction } from './oncall-http.service';

function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .setHeader('content-type', 'text/html; charset=utf-8')
    .setHeader('cache-control', 'no-store')
    .setHeader('referrer-policy', 'no-referrer')
    .setHeader('x-frame-options', 'DENY')
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="robots" content="noindex"><title>${escapeXml(title)}</title>` +
        `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1.1rem;padding:.6rem 1.2rem;margin:.3rem}</style></head>` +
        `<body><h1>${escapeXml(title)}</h1>${body}</body></html>`,
    );
}

/**
 * One-click acknowledge/resolve links from pages. GET only shows a confirmation form: mail
 * scanners and link previews fetch links, and must not acknowledge anything. Only the POST acts.
 */
@Controller('api/v1/oncall/links')
export class OncallLinksController {
  constructor(private readonly http: OncallHttpService) {}

  @Get(':token')
  @Public()
  async show(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const claims = await this.check(token, res);
    if (!claims) return;
    const inc = await this.http.findIncident(claims.o, claims.i!);
    if (!inc) return page(res, 404, 'Incident not found', '<p>This incident does not exist.</p>');
    const form = (action: LinkAction, label: string) =>
      `<form method="post" style="display:inline"><input type="hidden" name="action" value="${action}"><button type="submit">${label}</button></form>`;
    page(
      res,
      200,
      `#${inc.number} ${inc.title}`,
      `<p>Status: <strong>${escapeXml(inc.status.toLowerCase())}</strong> · urgency ${escapeXml(inc.urgency)}</p>` +
        (inc.status === 'RESOLVED'
          ? ''
          : `${inc.status === 'TRIGGERED' ? form('ack', 'Acknowledge') : ''}${form('resolve', 'Resolve')}`),
    );
  }

  @Post(':token')
  @Public()
  async act(
    @Param('token') token: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const claims = await this.check(token, res);
    if (!claims) return;
    const action = (req.body as { action?: string } | undefined)?.action;
    if (action !== 'ack' && action !== 'resolve')
      return page(res, 400, 'Choose an action', '<p>Use the Acknowledge or Resolve button.</p>');
    let done;
    try {
      done = await this.http.act(claims.o, claims.i!, action, { userId: claims.u, via: 'link' });
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND')
        return page(res, 404, 'Incident not found', '<p>This incident does not exist.</p>');
      throw err;
    }
    page(
      res,
      200,
      `#${done.number} ${done.status === 'RESOLVED' ? 'resolved' : 'acknowledged'}`,
      `<p>${escapeXml(done.title)}</p><p>Status: <strong>${escapeXml(done.status.toLowerCase())}</strong></p>`,
    );
  }

  private async check(token: string, res: Response): Promise<LinkClaims | null> {
    const v = verifyLink(token, 'incident-action');
    if (!v.ok) {
      page(
        res,
        403,
        v.reason === 'expired' ? 'This link has expired' : 'This link is not valid',
        '<p>Open the incident in Tocsin instead.</p>',
      );
      return null;
    }
    if (!v.claims.i || !(await this.http.mayRespond(v.claims.o, v.claims.u))) {
      page(
        res,
        403,
        'This link is not valid',
        '<p>You can no longer respond to incidents in this organization.</p>',
      );
      return null;
    }
    return v.claims;
  }
}
