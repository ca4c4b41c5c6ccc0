import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SchedulesService, renderIcal, verifyLink } from '@tocsin/oncall';
import { Public } from '@tocsin/tenancy';
import { OncallHttpService } from './oncall-http.service';

const DAY = 86_400_000;

/** A person's on-call shifts as an iCal feed; the signed URL is the credential (calendar apps send no headers). */
@Controller('api/v1/oncall/ical')
export class OncallIcalController {
  constructor(
    private readonly http: OncallHttpService,
    private readonly schedules: SchedulesService,
  ) {}

  @Get(':file')
  @Public()
  async feed(@Param('file') file: string, @Res() res: Response): Promise<void> {
    const v = verifyLink(file.replace(/\.ics$/, ''), 'ical');
    if (!v.ok || !(await this.http.mayRead(v.claims.o, v.claims.u)))
      return void res.status(403).send('invalid feed');
    const now = Date.now();
    const shifts = await this.schedules.shiftsForUser(
      v.claims.u,
      new Date(now - 7 * DAY),
      new Date(now + 60 * DAY),
      v.claims.o,
    );
    res
      .status(200)
      .setHeader('content-type', 'text/calendar; charset=utf-8')
      .setHeader('cache-control', 'private, max-age=300')
      .send(renderIcal(shifts));
  }
}
