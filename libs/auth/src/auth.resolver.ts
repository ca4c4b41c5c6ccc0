import { Args, Context, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import { loadConfig } from '@tocsin/config';
import { Role } from '@tocsin/db';
import {
  OrganizationMembership,
  OrganizationObject,
  Public,
  SignedIn,
  TenantDb,
  UserObject,
  currentContext,
  currentUserId,
  type RequestContext,
} from '@tocsin/tenancy';
import { AuthService, type ClientMeta, type IssuedSession } from './auth.service';
import { Authenticator } from './authenticator';
import { SESSION_COOKIE } from './sessions/sessions.service';

@ObjectType({ description: 'The signed-in person, their organizations and the one they act in.' })
export class Me {
  @Field(() => UserObject) user: UserObject;
  @Field(() => [OrganizationMembership]) organizations: OrganizationMembership[];
  @Field(() => OrganizationObject, { nullable: true }) currentOrganization: OrganizationObject | null;
  @Field(() => Role, { nullable: true, description: 'Role in the current organization.' }) role: Role | null;
}

@ObjectType()
export class AuthPayload {
  @Field({ description: 'A bearer token for API clients. The web gets the same session as an httpOnly cookie.' })
  token: string;
  @Field() expiresAt: Date;
  @Field(() => Me) me: Me;
}

@InputType()
export class SignUpInput {
  @Field() email: string;
  @Field({ description: 'At least 10 characters.' }) password: string;
  @Field() name: string;
  @Field() organizationName: string;
}

@InputType()
export class LogInInput {
  @Field() email: string;
  @Field() password: string;
}

@InputType()
export class AcceptInvitationInput {
  @Field() token: string;
  @Field(() => String, { nullable: true, description: 'For a new account: your name.' }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'For a new account: your password.' }) password?: string | null;
}

interface GqlContext {
  req: Request & { auth?: RequestContext | null };
  res: Response;
}

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly authenticator: Authenticator,
    private readonly db: TenantDb,
  ) {}

  @Query(() => Me)
  @SignedIn()
  me(): Promise<Me> {
    const ctx = currentContext();
    return this.loadMe(currentUserId(), ctx.orgId, ctx.role);
  }

  @Mutation(() => AuthPayload, { description: 'Creates your account and organization, and signs you in.' })
  @Public()
  async signUp(@Args('input') input: SignUpInput, @Context() ctx: GqlContext): Promise<AuthPayload> {
    return this.respond(await this.auth.signUp(input, meta(ctx)), ctx);
  }

  @Mutation(() => AuthPayload, { description: 'Repeated failures are refused with RATE_LIMITED for a while.' })
  @Public()
  async logIn(@Args('input') input: LogInInput, @Context() ctx: GqlContext): Promise<AuthPayload> {
    return this.respond(await this.auth.logIn(input.email, input.password, meta(ctx)), ctx);
  }

  @Mutation(() => Boolean, { description: 'Ends this session everywhere at once.' })
  @SignedIn()
  async logOut(@Context() ctx: GqlContext): Promise<boolean> {
    await this.auth.logOut();
    ctx.res?.clearCookie(SESSION_COOKIE, { path: '/' });
    return true;
  }

  @Mutation(() => Me)
  @SignedIn()
  async switchOrganization(@Args('organizationId', { type: () => ID }) organizationId: string): Promise<Me> {
    await this.auth.switchOrganization(organizationId);
    const membershipCtx = await this.authenticator.sessionContext(currentContext().sessionId!, currentUserId(), organizationId);
    return this.loadMe(currentUserId(), membershipCtx.orgId, membershipCtx.role);
  }

  @Mutation(() => Me, { description: 'Creates another organization with you as its owner, and switches to it.' })
  @SignedIn()
  async createOrganization(@Args('name') name: string): Promise<Me> {
    const orgId = await this.auth.createOrganizationFor(currentUserId(), name);
    return this.switchOrganization(orgId);
  }

  @Mutation(() => AuthPayload, { description: 'Joins the invitation\'s organization; creates the account when not signed in.' })
  @Public()
  async acceptInvitation(@Args('input') input: AcceptInvitationInput, @Context() ctx: GqlContext): Promise<AuthPayload> {
    const issued = await this.auth.acceptInvitation(input.token, { name: input.name, password: input.password }, meta(ctx));
    return this.respond(issued, ctx);
  }

  private async respond(issued: IssuedSession, ctx: GqlContext): Promise<AuthPayload> {
    ctx.res?.cookie(SESSION_COOKIE, issued.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: loadConfig().COOKIE_SECURE,
      path: '/',
      expires: issued.expiresAt,
    });
    const membership = issued.orgId
      ? await this.db.asUser(issued.userId, (tx) => tx.membership.findFirst({ where: { orgId: issued.orgId!, userId: issued.userId } }))
      : null;
    return { token: issued.token, expiresAt: issued.expiresAt, me: await this.loadMe(issued.userId, issued.orgId, membership?.role ?? null) };
  }

  private async loadMe(userId: string, orgId: string | null, role: Role | null): Promise<Me> {
    const user = await this.db.global.user.findUniqueOrThrow({ where: { id: userId } });
    const memberships = await this.db.asUser(userId, (tx) =>
      tx.membership.findMany({ where: { userId }, include: { organization: true }, orderBy: { createdAt: 'asc' } }),
    );
    const current = memberships.find((m) => m.orgId === orgId);
    return {
      user: { id: user.id, email: user.email, name: user.name, timeZone: user.timeZone },
      organizations: memberships.map((m) => ({ organization: m.organization, role: m.role })),
      currentOrganization: current?.organization ?? null,
      role: current ? role ?? current.role : null,
    };
  }
}

function meta(ctx: GqlContext): ClientMeta {
  return { ip: ctx.req?.ip, userAgent: ctx.req?.headers?.['user-agent'] };
}
