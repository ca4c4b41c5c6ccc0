import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from '@tocsin/graphql';

@ObjectType('ScrapeTarget', { description: 'A Prometheus endpoint Tocsin scrapes for the organization.' })
export class ScrapeTargetObject {
  @Field(() => ID) id: string;
  @Field() job: string;
  @Field() scheme: string;
  @Field({ description: 'host:port; the instance label.' }) address: string;
  @Field() metricsPath: string;
  @Field(() => Int) intervalSeconds: number;
  @Field(() => Float) timeoutSeconds: number;
  @Field(() => GraphQLJSON) labels: Record<string, string>;
  @Field(() => String, { nullable: true, description: 'basic or bearer; secrets are never returned.' }) authKind: string | null;
  @Field(() => GraphQLJSON) metricRelabelConfigs: unknown[];
  @Field() enabled: boolean;
  @Field({ description: 'up, down or unknown (not scraped yet).' }) health: string;
  @Field(() => Date, { nullable: true }) lastScrapeAt: Date | null;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field(() => Float, { nullable: true }) lastDurationSeconds: number | null;
  @Field(() => Int, { nullable: true }) lastSamples: number | null;
}

@InputType()
export class BasicAuthInput {
  @Field() username: string;
  @Field() password: string;
}

@InputType()
export class ScrapeTargetInput {
  @Field() job: string;
  @Field({ description: 'host:port' }) address: string;
  @Field({ nullable: true, defaultValue: 'http' }) scheme?: string;
  @Field({ nullable: true, defaultValue: '/metrics' }) metricsPath?: string;
  @Field(() => Int, { nullable: true, defaultValue: 60 }) intervalSeconds?: number;
  @Field(() => Float, { nullable: true, defaultValue: 10 }) timeoutSeconds?: number;
  @Field(() => GraphQLJSON, { nullable: true }) labels?: Record<string, unknown> | null;
  @Field(() => BasicAuthInput, { nullable: true }) basicAuth?: BasicAuthInput | null;
  @Field(() => String, { nullable: true }) bearerToken?: string | null;
  @Field({ nullable: true, defaultValue: false, description: 'On update: remove stored credentials. Without it, and without new ones, they are kept.' })
  clearAuth?: boolean;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Prometheus metric_relabel_configs (keep, drop, replace, labelmap, labeldrop, labelkeep).' })
  metricRelabelConfigs?: unknown;
  @Field({ nullable: true, defaultValue: true }) enabled?: boolean;
}
