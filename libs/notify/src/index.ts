export type {
  AnyNotifier,
  ChannelKind,
  DeploymentProviders,
  Notifier,
  NotifyContext,
  RenderedNotification,
  SendResult,
} from './notifier';
export { notifiers, notifierFor, isChannelKind } from './providers/registry';
export { describeChannelKind, describeChannelKinds } from './channel-kinds';
export type { ChannelKindDescription } from './channel-kinds';
export { SecretBox } from './secrets/secret-box';
export { SECRET_MASK, secret, secretFields } from './secrets/secret-field';
export {
  compileTemplate,
  renderTemplate,
  templateFunctions,
  TemplateError,
} from './templates/template-engine';
export { renderNotification } from './templates/render-notification';
export type { ChannelTemplates } from './templates/default-templates';
export { ChannelsService } from './channels/channels.service';
export type { ChannelView, ChannelInput } from './channels/channels.service';
export { DeliveryService } from './delivery/delivery.service';
export type { EnqueueResult } from './delivery/delivery.service';
export { DeliveryRunner, claimLeaseMs } from './delivery/delivery-runner';
export type { RunOutcome } from './delivery/delivery-runner';
export { NotifyJobName, notifyJobId, fallbackKey } from './delivery/delivery-jobs';
export type { AnyNotifyJob, DirectNotifyJob, DirectTargetKind } from './delivery/delivery-jobs';
export type { DeliveryRow, DeliveryStatus } from './delivery/deliveries.repository';
export { signWebhook } from './providers/webhook/webhook.notifier';
export { NotifyApiModule, NotifyModule } from './notify.module';
export { SendFences, type FencedResult, type SendFence } from './delivery/send-fences';
export {
  DELIVERY_RETENTION_EVERY_MS,
  DELIVERY_RETENTION_JOB,
  DeliveryRetention,
} from './delivery/delivery-retention';
