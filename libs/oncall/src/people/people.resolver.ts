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
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { UrgencyEnum } from '../incidents/incident.object';
import { PeopleService, type ContactKind, type Urgency } from './people.service';

@ObjectType('ContactMethod')
export class ContactMethodObject {
  @Field(() => ID) id: string;
  @Field({ description: 'email, sms or voice' }) kind: string;
  @Field() address: string;
  @Field(() => Date, { nullable: true, description: 'Pages go only to verified methods.' })
  verifiedAt: Date | null;
  @Field() createdAt: Date;
}

@ObjectType('NotificationRule')
export class NotificationRuleObject {
  @Field({
    description: 'A stored rule id, or default-<contact method id> when the person has set none.',
  })
  ruleId: string;
  @Field(() => ID) contactMethodId: string;
  @Field() kind: string;
  @Field() address: string;
  @Field(() => Int) delaySeconds: number;
}

@ObjectType('QuietHours')
export class QuietHoursObject {
  @Field(() => String, { nullable: true }) quietHoursStart: string | null;
  @Field(() => String, { nullable: true }) quietHoursEnd: string | null;
  @Field({
    description:
      "The IANA zone start and end are read in: the person's profile time zone (not the browser's).",
  })
  timeZone: string;
}

@InputType()
export class NotificationRuleInput {
  @Field(() => ID) contactMethodId: string;
  @Field(() => Int, { defaultValue: 0 }) delaySeconds: number;
}

/** Each person manages their own ways of being paged in the current organization. */
@Resolver()
export class PeopleResolver {
  constructor(private readonly people: PeopleService) {}

  @Query(() => [ContactMethodObject])
  @RequirePermission(Permission.IncidentsRead)
  myContactMethods() {
    return this.people.listContactMethods();
  }

  @Mutation(() => ContactMethodObject, {
    description: 'Adds an email, SMS or voice number and sends it a six-digit code.',
  })
  @RequirePermission(Permission.IncidentsRead)
  addContactMethod(@Args('kind') kind: string, @Args('address') address: string) {
    return this.people.addContactMethod(kind as ContactKind, address);
  }

  @Mutation(() => ContactMethodObject)
  @RequirePermission(Permission.IncidentsRead)
  verifyContactMethod(@Args('id', { type: () => ID }) id: string, @Args('code') code: string) {
    return this.people.verifyContactMethod(id, code);
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.IncidentsRead)
  removeContactMethod(@Args('id', { type: () => ID }) id: string) {
    return this.people.removeContactMethod(id);
  }

  @Query(() => [NotificationRuleObject], {
    description:
      'How the caller is paged for an urgency (defaults when none set: high = email+SMS now, voice after 5 min; low = email).',
  })
  @RequirePermission(Permission.IncidentsRead)
  myNotificationRules(@Args('urgency', { type: () => UrgencyEnum }) urgency: Urgency) {
    return this.people.myRules(urgency);
  }

  @Mutation(() => [NotificationRuleObject])
  @RequirePermission(Permission.IncidentsRead)
  setNotificationRules(
    @Args('urgency', { type: () => UrgencyEnum }) urgency: Urgency,
    @Args('rules', { type: () => [NotificationRuleInput] }) rules: NotificationRuleInput[],
  ) {
    return this.people.setNotificationRules(urgency, rules);
  }

  @Query(() => QuietHoursObject, { description: "The caller's quiet hours in this organization." })
  @RequirePermission(Permission.IncidentsRead)
  myQuietHours() {
    return this.people.myQuietHours();
  }

  @Mutation(() => QuietHoursObject, {
    description:
      'Low-urgency pages wait until quiet hours end (HH:mm in your time zone); both null clears them.',
  })
  @RequirePermission(Permission.IncidentsRead)
  setQuietHours(
    @Args('start', { type: () => String, nullable: true }) start: string | null,
    @Args('end', { type: () => String, nullable: true }) end: string | null,
  ) {
    return this.people.setQuietHours(start, end);
  }
}
