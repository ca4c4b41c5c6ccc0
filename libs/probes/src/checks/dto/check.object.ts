import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from '@tocsin/graphql';

export enum CheckKindEnum {
  HTTP = 'http',
  TCP = 'tcp',
  DNS = 'dns',
}
registerEnumType(CheckKindEnum, { name: 'CheckKind' });

@ObjectType('Check', { description: 'A synthetic check: HTTP(S), TCP connect or DNS, run on an interval.' })
export class CheckObject {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => CheckKindEnum) kind: CheckKindEnum;
  @Field() target: string;
  @Field(() => GraphQLJSON) config: Record<string, unknown>;
  @Field(() => Int) intervalSeconds: number;
  @Field(() => Float) timeoutSeconds: number;
  @Field(() => Int, { description: 'Consecutive failures before the check counts as down.' }) failureThreshold: number;
  @Field(() => Int) consecutiveFailures: number;
  @Field() enabled: boolean;
  @Field({ description: 'up, down or unknown.' }) status: string;
  @Field(() => Date, { nullable: true }) lastCheckedAt: Date | null;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field(() => Float, { nullable: true }) lastDurationSeconds: number | null;
  @Field(() => Int, { nullable: true }) lastStatusCode: number | null;
  @Field(() => Float, { nullable: true, description: 'Days until the TLS certificate expires (HTTPS).' }) certDaysLeft: number | null;
  @Field(() => ID, { nullable: true, description: 'The alert rule created by alertWhenDown.' }) ruleId: string | null;
  @Field({ description: 'Shown (by name only) on the organization\'s public status page.' }) showOnStatusPage: boolean;
}

@ObjectType('CheckRun', { description: 'One on-demand run of a check, recorded like a scheduled one.' })
export class CheckRunObject {
  @Field() success: boolean;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field(() => Float) durationSeconds: number;
  @Field(() => Int, { nullable: true }) statusCode: number | null;
  @Field(() => CheckObject, { description: 'The check after this run (status, consecutive failures).' }) check: CheckObject;
}

@InputType()
export class CheckInput {
  @Field() name: string;
  @Field(() => CheckKindEnum) kind: CheckKindEnum;
  @Field({ description: 'URL (http), host:port (tcp) or a DNS name (dns).' }) target: string;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'http: method, headers, body, expectedStatus[], keyword, keywordInvert, jsonPath, jsonPathEquals, followRedirects, tlsInsecureSkipVerify. dns: recordType, server, expect[].',
  })
  config?: Record<string, unknown> | null;
  @Field(() => Int, { nullable: true, defaultValue: 60 }) intervalSeconds?: number;
  @Field(() => Float, { nullable: true, defaultValue: 10 }) timeoutSeconds?: number;
  @Field(() => Int, { nullable: true, defaultValue: 1 }) failureThreshold?: number;
  @Field({ nullable: true, defaultValue: true }) enabled?: boolean;
  @Field({ nullable: true, defaultValue: false }) showOnStatusPage?: boolean;
}
