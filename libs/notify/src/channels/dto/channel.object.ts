import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from '@tocsin/graphql';

@ObjectType({
  description:
    "Message templates of a channel (Go-template-like); null fields use the kind's default.",
})
export class ChannelTemplatesObject {
  @Field(() => String, { nullable: true }) title: string | null;
  @Field(() => String, { nullable: true }) body: string | null;
}

@ObjectType('Channel', { description: 'A configured notifier: where and how notifications go.' })
export class ChannelObject {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'The provider, one of channelKinds.' }) kind: string;
  @Field(() => GraphQLJSON, { description: 'Provider settings; secret fields are masked.' })
  config: Record<string, unknown>;
  @Field(() => Int, {
    nullable: true,
    description: 'At most this many sends per minute; more wait for the next minute.',
  })
  rateLimitPerMinute: number | null;
  @Field(() => ID, {
    nullable: true,
    description: 'Where notifications go when this channel exhausts its retries.',
  })
  fallbackChannelId: string | null;
  @Field(() => ChannelTemplatesObject) templates: ChannelTemplatesObject;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType({ description: 'A provider and the description of its settings, for building forms.' })
export class ChannelKindObject {
  @Field() kind: string;
  @Field() label: string;
  @Field(() => GraphQLJSON, {
    description: 'JSON Schema of the config; secret fields have "secret": true.',
  })
  configSchema: Record<string, unknown>;
  @Field(() => [String]) secretFields: string[];
  @Field(() => ChannelTemplatesObject) defaultTemplates: ChannelTemplatesObject;
}

@InputType()
export class ChannelTemplatesInput {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) body?: string | null;
}

@InputType()
export class CreateChannelInput {
  @Field() name: string;
  @Field() kind: string;
  @Field(() => GraphQLJSON) config: Record<string, unknown>;
  @Field(() => Int, { nullable: true }) rateLimitPerMinute?: number | null;
  @Field(() => ID, { nullable: true }) fallbackChannelId?: string | null;
  @Field(() => ChannelTemplatesInput, { nullable: true }) templates?: ChannelTemplatesInput | null;
}

@InputType({
  description: 'Fields left out keep their value; secrets sent back masked keep theirs.',
})
export class UpdateChannelInput {
  @Field({ nullable: true }) name?: string;
  @Field(() => GraphQLJSON, { nullable: true }) config?: Record<string, unknown>;
  @Field(() => Int, { nullable: true }) rateLimitPerMinute?: number | null;
  @Field(() => ID, { nullable: true }) fallbackChannelId?: string | null;
  @Field(() => ChannelTemplatesInput, { nullable: true }) templates?: ChannelTemplatesInput | null;
}

@InputType({
  description:
    'Preview a template against a channel (its kind and saved templates) or a bare kind.',
})
export class PreviewTemplateInput {
  @Field(() => ID, { nullable: true }) channelId?: string | null;
  @Field({ nullable: true }) kind?: string;
  @Field(() => ChannelTemplatesInput, {
    nullable: true,
    description: "Unsaved templates to try; default: the channel's or the kind's.",
  })
  template?: ChannelTemplatesInput | null;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'An alert group notification (Alertmanager webhook shape); default: a sample.',
  })
  sample?: Record<string, unknown> | null;
}

@ObjectType()
export class TemplatePreview {
  @Field() title: string;
  @Field() text: string;
  @Field() html: string;
}
