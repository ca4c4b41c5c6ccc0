import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { HeartbeatsService } from '@tocsin/probes';
import { Public } from '@tocsin/tenancy';

/** The heartbeat push URL: cron jobs call it with curl (GET or POST); the secret in the path is the credential. */
@Controller('api/v1/heartbeat')
export class HeartbeatController {
  constructor(private readonly heartbeats: HeartbeatsService) {}

  @Get(':token')
  @Public()
  get(@Param('token') token: string): Promise<string> {
    return this.beat(token);
  }

  @Post(':token')
  @Public()
  @HttpCode(200)
  post(@Param('token') token: string): Promise<string> {
    return this.beat(token);
  }

  private async beat(token: string): Promise<string> {
    if (!(await this.heartbeats.beat(token))) throw new NotFoundException('unknown heartbeat');
    return 'OK\n';
  }
}
