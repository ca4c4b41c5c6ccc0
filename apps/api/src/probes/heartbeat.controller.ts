import { All, Controller, HttpCode, NotFoundException, Param } from '@nestjs/common';
import { HeartbeatsService } from '@tocsin/probes';
import { Public } from '@tocsin/tenancy';

/** The heartbeat push URL: cron jobs call it with curl; the secret in the path is the credential. */
@Controller('api/v1/heartbeat')
export class HeartbeatController {
  constructor(private readonly heartbeats: HeartbeatsService) {}

  @All(':token')
  @Public()
  @HttpCode(200)
  async beat(@Param('token') token: string): Promise<string> {
    if (!(await this.heartbeats.beat(token))) throw new NotFoundException('unknown heartbeat');
    return 'OK\n';
  }
}
