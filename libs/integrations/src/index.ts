export { IntegrationsModule } from './integrations.module';
export { IntegrationsHttpModule } from './integrations-http.module';
export { IntegrationsWorkerModule } from './integrations-worker.module';
export { verify as verifyWebhookSignature, sign as signWebhook } from './domain/signing';
export * from './integrations.context';
