import {
  Args,
  Field,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql';
import { loadConfig } from '@tocsin/config';
import { GraphQLJSON } from '@tocsin/graphql';
import { Permission, RequirePermission, currentOrgId, currentUserId } from '@tocsin/tenancy';
import { signLink } from '../links/signed-links';
import type { ScheduleSlot } from './schedule.types';
import { SchedulesService, type OnCallShift, type ScheduleView } from './schedules.service';

@ObjectType('Schedule')
export class ScheduleObject {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'IANA time zone of handoffs and restrictions.' }) timeZone: string;
  @Field(() => GraphQLJSON, {
    description: 'Layers, lowest priority first (see libs/oncall/README.md).',
  })
  layers: unknown;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType('ScheduleSlot')
export class ScheduleSlotObject {
  @Field(() => ID) userId: string;
  @Field() start: Date;
  @Field() end: Date;
  @Field({ description: 'layer or override' }) source: string;
  @Field(() => Int, { nullable: true }) layer?: number;
}

@ObjectType('OnCallNow')
export class OnCallNowObject {
  @Field(() => ScheduleSlotObject, { nullable: true }) now: ScheduleSlot | null;
  @Field(() => ScheduleSlotObject, { nullable: true }) next: ScheduleSlot | null;
}

@ObjectType('OnCallShift')
export class OnCallShiftObject {
  @Field(() => ID) scheduleId: string;
  @Field() scheduleName: string;
  @Field(() => ID) userId: string;
  @Field() start: Date;
  @Field() end: Date;
}

@ObjectType('ScheduleOverride')
export class ScheduleOverrideObject {
  @Field(() => ID) id: string;
  @Field(() => ID) scheduleId: string;
  @Field(() => ID) userId: string;
  @Field() startsAt: Date;
  @Field() endsAt: Date;
}

@ObjectType('UserOnCall')
export class UserOnCallObject {
  @Field(() => [OnCallShiftObject], {
    description: 'Shifts covering this moment (one per schedule).',
  })
  now: OnCallShift[];
  @Field(() => OnCallShiftObject, {
    nullable: true,
    description: 'The next shift to start within 90 days.',
  })
  next: OnCallShift | null;
}

@InputType()
export class ScheduleInput {
  @Field() name: string;
  @Field() timeZone: string;
  @Field(() => GraphQLJSON) layers: unknown;
}

@Resolver()
export class SchedulesResolver {
  constructor(private readonly service: SchedulesService) {}

  @Query(() => [ScheduleObject])
  @RequirePermission(Permission.ConfigRead)
  schedules(): Promise<ScheduleView[]> {
    return this.service.list();
  }

  @Query(() => ScheduleObject)
  @RequirePermission(Permission.ConfigRead)
  schedule(@Args('id', { type: () => ID }) id: string): Promise<ScheduleView> {
    return this.service.get(id);
  }

  @Query(() => [ScheduleSlotObject], {
    description: 'Who is on call when in [from, to): layers, restrictions and overrides applied.',
  })
  @RequirePermission(Permission.IncidentsRead)
  finalSchedule(
    @Args('scheduleId', { type: () => ID }) scheduleId: string,
    @Args('from') from: Date,
    @Args('to') to: Date,
  ): Promise<ScheduleSlot[]> {
    return this.service.finalSchedule(scheduleId, from, to);
  }

  @Query(() => [ScheduleSlotObject], {
    description:
      "Each layer's own shifts in [from, to) (`layer` is its index), restrictions applied, before later layers and overrides take precedence.",
  })
  @RequirePermission(Permission.IncidentsRead)
  scheduleLayerShifts(
    @Args('scheduleId', { type: () => ID }) scheduleId: string,
    @Args('from') from: Date,
    @Args('to') to: Date,
  ): Promise<ScheduleSlot[]> {
    return this.service.layerShifts(scheduleId, from, to);
  }

  @Query(() => OnCallNowObject)
  @RequirePermission(Permission.IncidentsRead)
  onCall(@Args('scheduleId', { type: () => ID }) scheduleId: string) {
    return this.service.onCall(scheduleId);
  }

  @Query(() => [OnCallShiftObject], {
    description: "A person's shifts over every schedule (default: the caller, next 30 days).",
  })
  @RequirePermission(Permission.IncidentsRead)
  onCallShifts(
    @Args('userId', { type: () => ID, nullable: true }) userId: string | null,
    @Args('from', { type: () => Date, nullable: true }) from: Date | null,
    @Args('to', { type: () => Date, nullable: true }) to: Date | null,
  ): Promise<OnCallShift[]> {
    const f = from ?? new Date();
    return this.service.shiftsForUser(
      userId ?? currentUserId(),
      f,
      to ?? new Date(f.getTime() + 30 * 86_400_000),
    );
  }

  @Query(() => UserOnCallObject, {
    description: 'Is a person (default: the caller) on call now, and when next.',
  })
  @RequirePermission(Permission.IncidentsRead)
  async userOnCall(@Args('userId', { type: () => ID, nullable: true }) userId: string | null) {
    const at = new Date();
    const shifts = await this.service.shiftsForUser(
      userId ?? currentUserId(),
      at,
      new Date(at.getTime() + 90 * 86_400_000),
    );
    return {
      now: shifts.filter((s) => s.start.getTime() <= at.getTime()),
      next: shifts.find((s) => s.start.getTime() > at.getTime()) ?? null,
    };
  }

  @Query(() => [ScheduleOverrideObject])
  @RequirePermission(Permission.ConfigRead)
  scheduleOverrides(@Args('scheduleId', { type: () => ID }) scheduleId: string) {
    return this.service.listOverrides(scheduleId);
  }

  @Query(() => String, { description: 'The schedule and its overrides as YAML, people by email.' })
  @RequirePermission(Permission.ConfigRead)
  exportScheduleYaml(@Args('id', { type: () => ID }) id: string): Promise<string> {
    return this.service.exportYaml(id);
  }

  @Query(() => String, {
    description: "A private iCal feed of the caller's shifts; anyone with the URL can read it.",
  })
  @RequirePermission(Permission.IncidentsRead)
  myOnCallCalendarUrl(): string {
    const token = signLink({ p: 'ical', o: currentOrgId(), u: currentUserId() });
    return `${loadConfig().PUBLIC_API_URL.replace(/\/+$/, '')}/api/v1/oncall/ical/${token}.ics`;
  }

  @Mutation(() => ScheduleObject)
  @RequirePermission(Permission.ConfigWrite)
  createSchedule(@Args('input') input: ScheduleInput): Promise<ScheduleView> {
    return this.service.create(input);
  }

  @Mutation(() => ScheduleObject)
  @RequirePermission(Permission.ConfigWrite)
  updateSchedule(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: ScheduleInput,
  ): Promise<ScheduleView> {
    return this.service.update(id, input);
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.ConfigWrite)
  deleteSchedule(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.delete(id);
  }

  @Mutation(() => ScheduleObject, {
    description: 'Create, or replace by name, a schedule and all its overrides from YAML.',
  })
  @RequirePermission(Permission.ConfigWrite)
  importScheduleYaml(@Args('yaml') yaml: string): Promise<ScheduleView> {
    return this.service.importYaml(yaml);
  }

  @Mutation(() => ScheduleOverrideObject)
  @RequirePermission(Permission.ConfigWrite)
  addScheduleOverride(
    @Args('scheduleId', { type: () => ID }) scheduleId: string,
    @Args('userId', { type: () => ID }) userId: string,
    @Args('start') start: Date,
    @Args('end') end: Date,
  ) {
    return this.service.addOverride(scheduleId, userId, start, end);
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.ConfigWrite)
  removeScheduleOverride(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.removeOverride(id);
  }
}
