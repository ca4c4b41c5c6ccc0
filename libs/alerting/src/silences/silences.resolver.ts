import {
  Args,
  Field,
  ID,
  InputType,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  registerEnumType,
} from '@nestjs/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { SilencesService, type SilenceState, type SilenceView } from './silences.service';

export enum SilenceStateEnum {
  active = 'active',
  pending = 'pending',
  expired = 'expired',
}
registerEnumType(SilenceStateEnum, { name: 'SilenceState' });

@ObjectType('SilenceMatcher')
export class SilenceMatcherObject {
  @Field() name: string;
  @Field({ description: '=, !=, =~ or !~' }) type: string;
  @Field() value: string;
}

@ObjectType('Silence')
export class SilenceObject {
  @Field(() => ID) id: string;
  @Field({ description: 'Alertmanager matcher syntax, e.g. {alertname="Down", env=~"prod|stage"}' })
  matchersText: string;
  @Field(() => [SilenceMatcherObject]) matchers: SilenceMatcherObject[];
  @Field() startsAt: Date;
  @Field() endsAt: Date;
  @Field(() => SilenceStateEnum) state: SilenceState;
  @Field(() => ID, { nullable: true }) createdBy: string | null;
  @Field() comment: string;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class SilenceInput {
  @Field({ description: 'Alertmanager matcher syntax: {alertname="Down", env=~"prod|stage"}' })
  matchers: string;
  @Field({ nullable: true, description: 'Default: now.' }) startsAt?: Date;
  @Field() endsAt: Date;
  @Field({ nullable: true }) comment?: string;
}

@Resolver()
export class SilencesResolver {
  constructor(private readonly service: SilencesService) {}

  @Query(() => [SilenceObject])
  @RequirePermission(Permission.ConfigRead)
  silences(
    @Args('state', { type: () => SilenceStateEnum, nullable: true }) state?: SilenceState,
  ): Promise<SilenceView[]> {
    return this.service.list(state);
  }

  @Query(() => SilenceObject)
  @RequirePermission(Permission.ConfigRead)
  silence(@Args('id', { type: () => ID }) id: string): Promise<SilenceView> {
    return this.service.get(id);
  }

  @Mutation(() => SilenceObject)
  @RequirePermission(Permission.IncidentsRespond)
  createSilence(@Args('input') input: SilenceInput): Promise<SilenceView> {
    return this.service.create(input);
  }

  @Mutation(() => SilenceObject)
  @RequirePermission(Permission.IncidentsRespond)
  updateSilence(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: SilenceInput,
  ): Promise<SilenceView> {
    return this.service.update(id, input);
  }

  @Mutation(() => SilenceObject)
  @RequirePermission(Permission.IncidentsRespond)
  expireSilence(@Args('id', { type: () => ID }) id: string): Promise<SilenceView> {
    return this.service.expire(id);
  }
}
