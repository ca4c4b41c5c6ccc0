import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { requestFrom } from './access.guard';
import { runWithContext, type RequestContext } from './context';

const anonymous: RequestContext = {
  orgId: null,
  userId: null,
  role: null,
  apiKeyId: null,
  sessionId: null,
  permissions: new Set(),
};

/** Runs each handler inside the request's AsyncLocalStorage context. */
@Injectable()
export class ContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const auth = requestFrom(context).auth ?? anonymous;
    return new Observable((subscriber) =>
      runWithContext(auth, () => next.handle().subscribe(subscriber)),
    );
  }
}
