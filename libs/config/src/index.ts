export { APP_ROLE, ConfigError, appUrlFrom, configSchema, loadConfig, resetConfigCache } from './config';
export type { TocsinConfig } from './config';
