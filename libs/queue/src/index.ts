export { PUB_SUB, REDIS, RedisModule, redisKey, redisOptions } from './redis';
export { RedisPubSub } from './pubsub';
export { QUEUE_NAMES, QueueName, bullConnection, bullPrefix, createQueue, createWorker, defaultJobOptions } from './queues';
export type { OrgJob } from './queues';
export type {
  AlertGroupIncidentJob,
  AlertGroupNotification,
  AlertPayload,
  ChannelNotification,
  NotifyJob,
  TestNotification,
} from './payloads';
