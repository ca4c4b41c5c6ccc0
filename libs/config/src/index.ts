export { APP_ROLE, ConfigError, apiProcessCount, appUrlFrom, configSchema, loadConfig, resetConfigCache } from './config';
export type { TocsinConfig } from './config';
