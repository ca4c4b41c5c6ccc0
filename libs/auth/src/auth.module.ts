import { Module } from '@nestjs/common';
import { ApiKeysResolver } from './api-keys/api-keys.resolver';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthMiddleware } from './auth.middleware';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { Authenticator } from './authenticator';
import { LoginRateLimiter } from './login-rate-limiter';
import { SessionsService } from './sessions/sessions.service';

@Module({
  providers: [
    AuthService,
    Authenticator,
    SessionsService,
    ApiKeysService,
    LoginRateLimiter,
    AuthMiddleware,
    AuthResolver,
    ApiKeysResolver,
  ],
  exports: [AuthService, Authenticator, ApiKeysService, SessionsService, AuthMiddleware],
})
export class AuthModule {}
