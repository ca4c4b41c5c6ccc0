import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { PRISMA, type Db } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { PUB_SUB, type RedisPubSub } from '@tocsin/queue';
import { AuditService, TenantDb, apiKeyScopes, randomSecret, sha256Hex, type ApiKeyScope } from '@tocsin/tenancy';

export const API_KEY_PREFIX = 'tsn_';

export interface AuthenticatedKey {
  id: string;
  orgId: string;
  scopes: string[];
}

/**
 * Verified keys are kept in process for this long at most. Revocation reaches every api process
 * at once over Redis pub/sub; this bounds how long a key could outlive its revocation if that
 * message were lost in a reconnect window.
 */
export const API_KEY_CACHE_TTL_MS = 10_000;
/** `last_used_at` is a "roughly when" for people; one touch a minute per key per process. */
const TOUCH_EVERY_MS = 60_000;
const CACHE_MAX_KEYS = 10_000;
/** Carries no tenant data (no id, no hash): any revocation drops every process's whole cache. */
const REVOKED_TOPIC = 'api-keys:revoked';

interface CachedKey {
  key: AuthenticatedKey;
  expiresAt: number | null;
  verifiedAt: number;
  touchedAt: number;
}

@Injectable()
export class ApiKeysService implements OnModuleInit {
  private readonly logger = new Logger(ApiKeysService.name);
  /** By secret hash. Usable only while subscribed to revocations (`listening`). */
  private readonly cache = new Map<string, CachedKey>();
  private listening = false;
  /** Bumped by every invalidation: a look-up that started before one must not fill the cache. */
  private epoch = 0;

  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    @Inject(PRISMA) private readonly prisma: Db,
    @Inject(PUB_SUB) private readonly pubsub: RedisPubSub,
  ) {}

  onModuleInit(): void {
    this.pubsub.onDisconnect(() => this.invalidate());
    // Not awaited: start-up does not wait for Redis; until the subscription stands, every
    // request asks PostgreSQL, as it would with no cache.
    this.pubsub.subscribe(REVOKED_TOPIC, () => this.invalidate()).then(
      () => (this.listening = true),
      (err: Error) => this.logger.warn(`API keys are not cached: no subscription to revocations (${err.message})`),
    );
  }

  list() {
    return this.db.run((tx, orgId) => tx.apiKey.findMany({ where: { orgId }, orderBy: { createdAt: 'desc' } }));
  }

  /** Returns the secret once; only its SHA-256 is kept. */
  async create(name: string, scopes: ApiKeyScope[], expiresAt: Date | null) {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 100) throw AppError.badInput('Name the key (1–100 characters)', { field: 'name' });
    const unique = [...new Set(scopes)];
    if (!unique.length) throw AppError.badInput('Give the key at least one scope', { field: 'scopes' });
    if (unique.some((s) => !apiKeyScopes.includes(s))) throw AppError.badInput('Unknown scope', { field: 'scopes' });
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw AppError.badInput('expiresAt must be in the future', { field: 'expiresAt' });
    const secret = randomSecret(API_KEY_PREFIX);
    const apiKey = await this.db.run(async (tx, orgId) => {
      const key = await tx.apiKey.create({
        data: {
          orgId,
          name: trimmed,
          prefix: secret.slice(0, API_KEY_PREFIX.length + 6),
          secretHash: sha256Hex(secret),
          scopes: unique,
          expiresAt,
        },
      });
      await this.audit.record(tx, orgId, { action: 'apiKey.create', targetType: 'apiKey', targetId: key.id, details: { name: trimmed, scopes: unique } });
      return key;
    });
    return { apiKey, secret };
  }

  revoke(id: string) {
    return this.db.run(async (tx, orgId) => {
      const key = await tx.apiKey.findFirst({ where: { id, orgId } });
      if (!key) throw AppError.notFound('API key');
      if (key.revokedAt) return key;
      const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
      await this.audit.record(tx, orgId, { action: 'apiKey.revoke', targetType: 'apiKey', targetId: id });
      return revoked;
    }).then(async (revoked) => {
      // After the commit, so no process can re-read the key as valid after dropping it.
      this.invalidate();
      await this.pubsub.publish(REVOKED_TOPIC, {}).catch((err: Error) => {
        this.logger.warn(`API key ${id} revoked, but other processes may accept it for ${API_KEY_CACHE_TTL_MS / 1000} s more: ${err.message}`);
      });
      return revoked;
    });
  }

  /**
   * Resolves a presented secret before any organization is known, through a SECURITY DEFINER
   * function that answers only for that exact hash. Revoked and expired keys fail at once.
   */
  async authenticate(secret: string): Promise<AuthenticatedKey | null> {
    if (!secret.startsWith(API_KEY_PREFIX)) return null;
    const hash = sha256Hex(secret);
    const now = Date.now();
    const usable = this.listening && this.pubsub.connected;
    const hit = usable ? this.cache.get(hash) : undefined;
    if (hit && now - hit.verifiedAt < API_KEY_CACHE_TTL_MS && (hit.expiresAt === null || hit.expiresAt > now)) {
      if (now - hit.touchedAt >= TOUCH_EVERY_MS) {
        hit.touchedAt = now;
        this.touch(hit.key.id);
      }
      return hit.key;
    }
    const epoch = this.epoch;
    const rows = await this.prisma.$queryRaw<
      Array<{ id: string; org_id: string; scopes: string[] | null; expires_at: Date | null; revoked_at: Date | null }>
    >`select * from auth_api_key(${hash})`;
    const row = rows[0];
    if (!row || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= Date.now())) {
      this.cache.delete(hash);
      return null;
    }
    const key = { id: row.id, orgId: row.org_id, scopes: row.scopes ?? [] };
    if (usable && epoch === this.epoch) {
      this.cache.delete(hash);
      // Oldest first out: Map keeps insertion order and a re-verified key is re-inserted.
      if (this.cache.size >= CACHE_MAX_KEYS) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(hash, { key, expiresAt: row.expires_at?.getTime() ?? null, verifiedAt: now, touchedAt: now });
    }
    this.touch(key.id);
    return key;
  }

  private touch(id: string): void {
    // Recording use is best-effort and rate-limited in SQL too; it must never fail a request.
    this.prisma.$executeRaw`select touch_api_key(${id}::uuid)`.catch(() => undefined);
  }

  /** Forgets every verified key (a key was revoked somewhere, or revocations may have been missed). */
  private invalidate(): void {
    this.epoch++;
    this.cache.clear();
  }
}
