export { AuthModule } from './auth.module';
export { AuthMiddleware } from './auth.middleware';
export { AuthService, normalizeEmail } from './auth.service';
export type { ClientMeta, IssuedSession, SignUpInput } from './auth.service';
export { Authenticator } from './authenticator';
export type { Credentials } from './authenticator';
export { ApiKeysService, API_KEY_PREFIX } from './api-keys/api-keys.service';
export { SessionsService, SESSION_COOKIE, SESSION_PREFIX } from './sessions/sessions.service';
export { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from './password';
