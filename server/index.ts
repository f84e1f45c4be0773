/** The server's public API: `import { createExecutions, migrate, … } from 'turtle-shell/server'`. */
export * from './errors.js';
export * from './registry/index.js';
export * from './executions/index.js';
export * from './storage/index.js';
export * from './scheduler/index.js';
export * from './http/index.js';
export {
  DEFAULT_WEBHOOK_ATTEMPTS,
  DEFAULT_WEBHOOK_BACKOFF,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  type WebhookSettings,
} from './webhooks/webhook-settings.js';
export * from './graphql/index.js';
export { loadConfig, ConfigError, type ServerConfig } from './config.js';
export { startServer, type RunningServer, type StartServerOptions } from './main.js';
export {
  openRuntime,
  migrateAll,
  workerOptions,
  type Runtime,
  type RuntimeConfig,
  type RuntimeOptions,
} from './runtime.js';
