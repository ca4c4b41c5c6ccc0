import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Role } from '@tocsin/db';

registerEnumType(Role, {
  name: 'Role',
  description:
    'What a member may do. OWNER and ADMIN manage people and keys; EDITOR changes configuration; RESPONDER acknowledges and silences; VIEWER reads.',
});

@ObjectType({ description: 'A tenant. Everything in Tocsin belongs to exactly one organization.' })
export class OrganizationObject {
  @Field(() => ID) id: string;
  @Field({ description: 'URL-safe unique name, used by status pages.' }) slug: string;
  @Field() name: string;
  @Field() createdAt: Date;
}

@ObjectType('OrganizationLimits', {
  description: 'Per-organization limits. Defaults follow Grafana Mimir.',
})
export class OrganizationLimitsObject {
  @Field(() => Int, {
    description: 'Samples per second accepted, averaged (token bucket refill rate).',
  })
  ingestionRate: number;
  @Field(() => Int, { description: 'Token bucket size: samples accepted in one burst.' })
  ingestionBurst: number;
  @Field(() => Int, { description: 'Series that received samples recently.' })
  maxActiveSeries: number;
  @Field(() => Int, { nullable: true, description: 'Series per metric name; null means no limit.' })
  maxSeriesPerMetric: number | null;
  @Field(() => Int) retentionRawDays: number;
  @Field(() => Int) retention1mDays: number;
  @Field(() => Int) retention1hDays: number;
  @Field(() => Int, {
    nullable: true,
    description:
      "Largest ingest request body as sent, in bytes; null means the server's INGEST_MAX_BODY_BYTES.",
  })
  ingestMaxBodyBytes: number | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "Largest ingest request body after snappy/gzip, in bytes; null means the server's INGEST_MAX_DECOMPRESSED_BYTES.",
  })
  ingestMaxDecompressedBytes: number | null;
  @Field(() => Int, { description: 'Days of dispatch decisions and deliveries kept.' })
  alertLogRetentionDays: number;
  @Field(() => Int, {
    description:
      'Seconds one PromQL query may run, reads included (query API, charts, dashboards); a request may ask for less.',
  })
  queryTimeoutSeconds: number;
  @Field(() => Int, {
    description: 'Samples one PromQL query may hold in memory at once; beyond it the query fails.',
  })
  queryMaxSamples: number;
}

@ObjectType({ description: 'A person.' })
export class UserObject {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field() name: string;
  @Field({ description: 'IANA time zone, used for schedules and night-time statistics.' })
  timeZone: string;
}

@ObjectType()
export class OrganizationMembership {
  @Field(() => OrganizationObject) organization: OrganizationObject;
  @Field(() => Role) role: Role;
}
