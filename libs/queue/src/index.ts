export { REDIS, RedisModule, redisKey, redisOptions } from './redis';
export { QUEUE_NAMES, QueueName, bullConnection, bullPrefix, createQueue, createWorker, defaultJobOptions } from './queues';
export type { OrgJob } from './queues';
