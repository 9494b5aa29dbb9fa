import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, staleVersion, TenantTransaction } from '@switchboard/platform';
import { endpointUrlProblem } from '../../domain/endpoint-url';
import { filterProblem } from '../../domain/event-filter';
import { invalidField, MAX_ENDPOINTS_PER_TENANT, tooManyEndpoints } from '../../domain/problems';
import { newWebhookSecret } from '../../domain/signing';
import { WebhookSecrets } from '../../domain/webhook-secrets.service';
import { integrationsConfig, WebhookEndpointCreated, WebhookEndpointUpdated, type IntegrationsConfig, type WebhookEndpointSnapshot } from '../../integrations.context';
import { WebhooksRepository } from '../../repositories/webhooks.repository';
import type { EndpointFields, EndpointView } from '../../repositories/webhooks.sql';
import { SaveWebhookCommand, type CreatedWebhook } from './save-webhook.command';

const snapshot = (f: EndpointFields): WebhookEndpointSnapshot => ({ url: f.url, description: f.description, eventTypes: f.eventTypes, active: f.active });

/** An endpoint, created (with a new secret, sealed) or changed: URL and filter validated, audited and announced. */
@CommandHandler(SaveWebhookCommand)
export class SaveWebhookHandler implements ICommandHandler<SaveWebhookCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly webhooks: WebhooksRepository,
    private readonly secrets: WebhookSecrets,
    @Inject(integrationsConfig.token) private readonly config: IntegrationsConfig,
  ) {}

  async execute({ context, endpointId, input, expectedVersion }: SaveWebhookCommand): Promise<CreatedWebhook | EndpointView> {
    if (input.url !== undefined) {
      const problem = endpointUrlProblem(input.url, this.config.WEBHOOKS_ALLOW_LOOPBACK_HTTP);
      if (problem) throw invalidField('url', problem);
    }
    if (input.eventTypes !== undefined) {
      const problem = filterProblem(input.eventTypes);
      if (problem) throw invalidField('eventTypes', problem);
    }
    if (!endpointId) {
      if (input.url === undefined) throw invalidField('url', 'is required');
      if (input.eventTypes === undefined) throw invalidField('eventTypes', 'is required');
      await this.secrets.ready();
    }
    return this.tx.run(context, async (tx) => {
      if (!endpointId) {
        if ((await this.webhooks.countEndpoints(tx)) >= MAX_ENDPOINTS_PER_TENANT) throw tooManyEndpoints();
        const fields: EndpointFields = { url: input.url!, description: input.description ?? null, eventTypes: [...new Set(input.eventTypes!)], active: input.active ?? true };
        const id = randomUUID();
        const secret = newWebhookSecret();
        const endpoint = await this.webhooks.insertEndpoint(tx, id, fields, await this.secrets.seal(tx.tenantId, id, secret), WebhookSecrets.hint(secret));
        await tx.audit({ action: 'webhook_endpoint.created', entityType: 'webhook_endpoint', entityId: id, after: snapshot(fields) });
        await tx.emit(WebhookEndpointCreated.of(id, { endpoint: snapshot(fields) }));
        return { endpoint, secret };
      }
      const before = await this.webhooks.findEndpoint(tx, endpointId, true);
      if (!before) throw notFound('Webhook endpoint', endpointId);
      if (expectedVersion !== null && expectedVersion !== before.version) throw staleVersion('webhook endpoint', expectedVersion, before.version);
      const fields: EndpointFields = {
        url: input.url ?? before.url,
        description: input.description !== undefined ? input.description : before.description,
        eventTypes: input.eventTypes ? [...new Set(input.eventTypes)] : before.eventTypes,
        active: input.active ?? before.active,
      };
      const after = await this.webhooks.updateEndpoint(tx, endpointId, fields);
      await tx.audit({ action: 'webhook_endpoint.updated', entityType: 'webhook_endpoint', entityId: endpointId, before: snapshot(before), after: snapshot(fields) });
      await tx.emit(WebhookEndpointUpdated.of(endpointId, { endpoint: snapshot(fields), version: after.version }));
      return after;
    });
  }
}
