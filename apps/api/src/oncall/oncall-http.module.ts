import { Module } from '@nestjs/common';
import { OncallModule } from '@tocsin/oncall';
import { OncallHttpService } from './oncall-http.service';
import { OncallIcalController } from './oncall-ical.controller';
import { OncallLinksController } from './oncall-links.controller';
import { TwilioWebhooksController } from './twilio-webhooks.controller';

/** On-call's GraphQL (OncallModule) plus the plain HTTP routes a protocol demands: signed links, Twilio webhooks, iCal. */
@Module({
  imports: [OncallModule],
  controllers: [OncallLinksController, TwilioWebhooksController, OncallIcalController],
  providers: [OncallHttpService],
})
export class OncallHttpModule {}
