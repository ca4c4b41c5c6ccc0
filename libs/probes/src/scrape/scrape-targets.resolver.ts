import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { ScrapeTargetInput, ScrapeTargetObject } from './dto/scrape-target.object';
import { ScrapeTargetsService } from './scrape-targets.service';

@Resolver()
export class ScrapeTargetsResolver {
  constructor(private readonly service: ScrapeTargetsService) {}

  @Query(() => [ScrapeTargetObject], { description: 'Scrape targets with their health (last scrape, error, duration).' })
  @RequirePermission(Permission.ConfigRead)
  scrapeTargets(): Promise<ScrapeTargetObject[]> {
    return this.service.list();
  }

  @Query(() => ScrapeTargetObject)
  @RequirePermission(Permission.ConfigRead)
  scrapeTarget(@Args('id', { type: () => ID }) id: string): Promise<ScrapeTargetObject> {
    return this.service.get(id);
  }

  @Mutation(() => ScrapeTargetObject)
  @RequirePermission(Permission.ConfigWrite)
  createScrapeTarget(@Args('input') input: ScrapeTargetInput): Promise<ScrapeTargetObject> {
    return this.service.create(input);
  }

  @Mutation(() => ScrapeTargetObject)
  @RequirePermission(Permission.ConfigWrite)
  updateScrapeTarget(@Args('id', { type: () => ID }) id: string, @Args('input') input: ScrapeTargetInput): Promise<ScrapeTargetObject> {
    return this.service.update(id, input);
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.ConfigWrite)
  deleteScrapeTarget(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.delete(id);
  }
}
