import { Global, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { MetricsService } from './metrics.service';

@Injectable()
class MetricsLifecycle implements OnModuleDestroy {
  constructor(private readonly metrics: MetricsService) {}
  onModuleDestroy(): Promise<void> {
    return this.metrics.close();
  }
}

@Global()
@Module({ providers: [MetricsService, MetricsLifecycle], exports: [MetricsService] })
export class MetricsModule {}
