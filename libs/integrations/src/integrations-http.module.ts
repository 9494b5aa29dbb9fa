import { Module } from '@nestjs/common';
import { WebhooksController } from './http/webhooks.controller';
import { IntegrationsModule } from './integrations.module';

@Module({ imports: [IntegrationsModule], controllers: [WebhooksController] })
export class IntegrationsHttpModule {}
