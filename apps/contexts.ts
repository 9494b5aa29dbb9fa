import { aiGatewayContext } from '@switchboard/ai-gateway';
import { billingContext } from '@switchboard/billing';
import { customersContext } from '@switchboard/customers';
import { fieldServiceContext } from '@switchboard/field-service';
import { integrationsContext } from '@switchboard/integrations';
import { knowledgeBaseContext } from '@switchboard/knowledge-base';
import type { ContextDefinition } from '@switchboard/platform';
import { reportingContext } from '@switchboard/reporting';
import { tenancyContext } from '@switchboard/tenancy';
import { ticketsContext } from '@switchboard/tickets';

/**
 * The contexts Switchboard is assembled from: their events, queues, jobs, config slices and
 * console events, registered with the platform by the api, the worker and the scripts alike
 * (config is validated against all of them, so every process accepts the same environment).
 * Adding a context means adding it here and its modules to the two app modules; see docs/adding-a-context.md.
 */
export const CONTEXTS: readonly ContextDefinition[] = [tenancyContext, customersContext, ticketsContext, knowledgeBaseContext, aiGatewayContext, fieldServiceContext, integrationsContext, reportingContext, billingContext];
