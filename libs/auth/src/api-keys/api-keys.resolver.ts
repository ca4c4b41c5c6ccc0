import { Args, Field, ID, InputType, Mutation, ObjectType, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { Permission, RequirePermission, type ApiKeyScope as Scope } from '@tocsin/tenancy';
import { ApiKeysService } from './api-keys.service';

export enum ApiKeyScopeEnum {
  INGEST = 'ingest',
  READ = 'read',
  WRITE = 'write',
  ADMIN = 'admin',
}
registerEnumType(ApiKeyScopeEnum, {
  name: 'ApiKeyScope',
  description: 'INGEST pushes metrics; READ queries; WRITE changes configuration; ADMIN also manages keys and limits.',
});

@ObjectType()
export class ApiKey {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'The first characters of the secret, to tell keys apart.' }) prefix: string;
  @Field(() => [ApiKeyScopeEnum]) scopes: ApiKeyScopeEnum[];
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => Date, { nullable: true }) expiresAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey) apiKey: ApiKey;
  @Field({ description: 'The secret, shown only this once. Send it as `Authorization: Bearer <secret>` or as the basic-auth password.' })
  secret: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field() name: string;
  @Field(() => [ApiKeyScopeEnum]) scopes: ApiKeyScopeEnum[];
  @Field(() => Date, { nullable: true }) expiresAt?: Date | null;
}

@Resolver()
export class ApiKeysResolver {
  constructor(private readonly service: ApiKeysService) {}

  @Query(() => [ApiKey])
  @RequirePermission(Permission.ApiKeysRead)
  async apiKeys(): Promise<ApiKey[]> {
    return (await this.service.list()) as ApiKey[];
  }

  @Mutation(() => CreatedApiKey)
  @RequirePermission(Permission.ApiKeysManage)
  async createApiKey(@Args('input') input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const { apiKey, secret } = await this.service.create(input.name, input.scopes as unknown as Scope[], input.expiresAt ?? null);
    return { apiKey: apiKey as ApiKey, secret };
  }

  @Mutation(() => ApiKey, { description: 'Revoked keys are refused at once.' })
  @RequirePermission(Permission.ApiKeysManage)
  async revokeApiKey(@Args('id', { type: () => ID }) id: string): Promise<ApiKey> {
    return (await this.service.revoke(id)) as ApiKey;
  }
}
