import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AppError } from '@tocsin/graphql';
import { ACCESS_KEY, type Access } from './access.decorators';
import type { RequestContext } from './context';

/** What the auth middleware (or the WebSocket handshake) leaves on the request. */
export interface AuthenticatedRequest {
  auth?: RequestContext | null;
}

export function requestFrom(context: ExecutionContext): AuthenticatedRequest {
  if (context.getType<string>() === 'graphql') {
    const ctx = GqlExecutionContext.create(context).getContext<{ req?: AuthenticatedRequest; extra?: { request?: AuthenticatedRequest } }>();
    return ctx.req ?? ctx.extra?.request ?? {};
  }
  return context.switchToHttp().getRequest<AuthenticatedRequest>();
}

/**
 * The one authorization gate. A handler without an access decorator is refused, so a new
 * resolver cannot ship open by accident.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!access) {
      // Field resolvers inherit their parent's decision; only root operations must declare one.
      if (context.getType<string>() === 'graphql') {
        const info = GqlExecutionContext.create(context).getInfo<{ parentType?: { name: string } }>();
        const parent = info?.parentType?.name;
        if (parent && !['Query', 'Mutation', 'Subscription'].includes(parent)) return true;
      }
      throw AppError.forbidden('This operation declares no access rule');
    }
    if (access.kind === 'public') return true;
    const auth = requestFrom(context).auth;
    if (!auth) throw AppError.unauthenticated();
    if (access.kind === 'signed-in') {
      if (!auth.userId) throw AppError.forbidden('This needs a signed-in user, not an API key');
      return true;
    }
    if (!auth.orgId) throw AppError.unauthenticated('Choose an organization first');
    if (!auth.permissions.has(access.permission)) {
      throw AppError.forbidden(`Your ${auth.apiKeyId ? 'API key scopes' : 'role'} do not allow ${access.permission}`);
    }
    return true;
  }
}
