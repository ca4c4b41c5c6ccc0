import { Args, Field, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { AppError, GraphQLJSON, PageInfo } from '@tocsin/graphql';
import { RequirePermission } from '../access.decorators';
import { UserObject } from '../organizations/organization.object';
import { Permission } from '../permissions';
import { TenantDb } from '../tenant-db';

@ObjectType()
export class AuditLogEntry {
  @Field(() => ID) id: string;
  @Field({ description: 'What happened, e.g. `apiKey.create`, `member.roleChange`.' }) action: string;
  @Field(() => UserObject, { nullable: true, description: 'The person, when a person did it.' }) actor: UserObject | null;
  @Field(() => ID, { nullable: true, description: 'The API key, when a key did it.' }) apiKeyId: string | null;
  @Field(() => String, { nullable: true }) targetType: string | null;
  @Field(() => String, { nullable: true }) targetId: string | null;
  @Field(() => GraphQLJSON, { nullable: true }) details: unknown;
  @Field(() => String, { nullable: true }) ip: string | null;
  @Field() createdAt: Date;
}

@ObjectType()
export class AuditLogConnection {
  @Field(() => [AuditLogEntry]) nodes: AuditLogEntry[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@Resolver()
export class AuditResolver {
  constructor(private readonly db: TenantDb) {}

  @Query(() => AuditLogConnection, { description: 'Who did what, newest first.' })
  @RequirePermission(Permission.AuditRead)
  async auditLog(
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('action', { type: () => String, nullable: true, description: 'Only this action, or actions starting with it followed by a dot.' }) action: string | null,
  ): Promise<AuditLogConnection> {
    if (first < 1 || first > 200) throw AppError.badInput('first must be between 1 and 200');
    const cursor = after ? decodeCursor(after) : null;
    const rows = await this.db.run((tx, orgId) =>
      tx.auditLog.findMany({
        where: {
          orgId,
          ...(action ? { OR: [{ action }, { action: { startsWith: `${action}.` } }] } : {}),
          ...(cursor
            ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }
            : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: first + 1,
      }),
    );
    const page = rows.slice(0, first);
    const actorIds = [...new Set(page.map((r) => r.actorId).filter((id): id is string => !!id))];
    const actors = actorIds.length
      ? await this.db.global.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true, name: true, timeZone: true } })
      : [];
    const byId = new Map(actors.map((a) => [a.id, a]));
    const last = page[page.length - 1];
    return {
      nodes: page.map((r) => ({ ...r, actor: r.actorId ? (byId.get(r.actorId) ?? null) : null })),
      pageInfo: {
        hasNextPage: rows.length > first,
        endCursor: last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url') : null,
      },
    };
  }
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [ts, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(ts);
  if (!id || Number.isNaN(createdAt.getTime())) throw AppError.badInput('Invalid cursor');
  return { createdAt, id };
}
