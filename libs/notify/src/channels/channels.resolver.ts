import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AppError } from '@tocsin/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { describeChannelKinds } from '../channel-kinds';
import { DeliveryObject, type DeliveryStatusEnum } from '../delivery/dto/delivery.object';
import { DeliveryService } from '../delivery/delivery.service';
import { TemplatePreviewService } from '../templates/template-preview.service';
import { ChannelsService } from './channels.service';
import {
  ChannelKindObject,
  ChannelObject,
  CreateChannelInput,
  PreviewTemplateInput,
  TemplatePreview,
  UpdateChannelInput,
} from './dto/channel.object';

@Resolver(() => ChannelObject)
export class ChannelsResolver {
  constructor(
    private readonly channelService: ChannelsService,
    private readonly deliveryService: DeliveryService,
    private readonly previews: TemplatePreviewService,
  ) {}

  @Query(() => [ChannelObject], { description: "The organization's channels, by name." })
  @RequirePermission(Permission.ConfigRead)
  channels(): Promise<ChannelObject[]> {
    return this.channelService.list();
  }

  @Query(() => ChannelObject)
  @RequirePermission(Permission.ConfigRead)
  channel(@Args('id', { type: () => ID }) id: string): Promise<ChannelObject> {
    return this.channelService.get(id);
  }

  @Query(() => [ChannelKindObject], {
    description: 'Every provider, with the JSON Schema of its config.',
  })
  @RequirePermission(Permission.ConfigRead)
  channelKinds(): ChannelKindObject[] {
    return describeChannelKinds();
  }

  @Mutation(() => ChannelObject)
  @RequirePermission(Permission.ConfigWrite)
  createChannel(@Args('input') input: CreateChannelInput): Promise<ChannelObject> {
    return this.channelService.create(input);
  }

  @Mutation(() => ChannelObject)
  @RequirePermission(Permission.ConfigWrite)
  updateChannel(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateChannelInput,
  ): Promise<ChannelObject> {
    return this.channelService.update(id, input);
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.ConfigWrite)
  deleteChannel(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.channelService.delete(id);
  }

  @Mutation(() => DeliveryObject, {
    description:
      'Sends a test message through the real delivery path; waits up to waitMs for delivered or failed, then returns the delivery as it stands.',
  })
  @RequirePermission(Permission.ConfigWrite)
  async testChannel(
    @Args('id', { type: () => ID }) id: string,
    @Args('waitMs', { type: () => Int, defaultValue: 10_000 }) waitMs: number,
  ): Promise<DeliveryObject> {
    if (waitMs < 0 || waitMs > 30_000)
      throw AppError.badInput('waitMs must be between 0 and 30000');
    const row = await this.deliveryService.testChannel(id, waitMs);
    const channels = await this.channelService.viewsByIds(row.channelId ? [row.channelId] : []);
    return {
      ...row,
      status: row.status as DeliveryStatusEnum,
      channel: (row.channelId && channels.get(row.channelId)) || null,
    };
  }

  @Query(() => TemplatePreview, {
    description: 'Renders templates over a sample notification without sending.',
  })
  @RequirePermission(Permission.ConfigRead)
  previewTemplate(@Args('input') input: PreviewTemplateInput): Promise<TemplatePreview> {
    return this.previews.preview(input);
  }
}
