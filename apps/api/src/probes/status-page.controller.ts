import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { loadConfig } from '@tocsin/config';
import { StatusPageService, renderAtomFeed, renderStatusPage } from '@tocsin/probes';
import { Public } from '@tocsin/tenancy';

/** Public status pages: plain HTML and an Atom feed, per organization slug. */
@Controller('status')
export class StatusPageController {
  constructor(private readonly pages: StatusPageService) {}

  @Get(':slug')
  @Public()
  async page(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    const model = await this.pages.page(slug);
    if (!model) return void res.status(404).type('text/plain').send('no such status page');
    res.status(200).setHeader('content-type', 'text/html; charset=utf-8').setHeader('cache-control', 'public, max-age=30').send(renderStatusPage(model));
  }

  @Get(':slug/feed.atom')
  @Public()
  async feed(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    const feed = await this.pages.feedEntries(slug);
    if (!feed) return void res.status(404).type('text/plain').send('no such status page');
    const base = loadConfig().PUBLIC_API_URL.replace(/\/$/, '');
    res.status(200).setHeader('content-type', 'application/atom+xml; charset=utf-8').setHeader('cache-control', 'public, max-age=60').send(renderAtomFeed(slug, base, feed.orgName, feed.entries));
  }
}
