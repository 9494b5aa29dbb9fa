import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AiGateway, PromptTemplates, structuredValidated } from '@switchboard/ai-gateway';
import { notFound, ProblemException, TenantTransaction, type CommandContext } from '@switchboard/platform';
import { Ajv } from 'ajv';
import { leadExtractionFeature } from '../../ai/lead-extraction.feature';
import { assertLeadOpen, leadExtractionSchema, toLeadSuggestions, type LeadExtraction, type LeadExtractionAnswer, type LeadSuggestion } from '../../domain/leads';
import { LeadsRepository } from '../../repositories/leads.repository';
import type { LeadView } from '../../repositories/leads.sql';
import { ServicesRepository } from '../../repositories/services.repository';
import { SuggestLeadCommand } from './suggest-lead.command';

/** The catalog the model may name a service from; a tenant's catalog is small, a longer one is cut. */
const MAX_SERVICES_OFFERED = 100;

/**
 * Suggestions for a new lead, as the close-out's: the model is called between two short
 * transactions, never inside one (ADR 0018). A provider down, over budget or not configured, or an
 * answer out of schema twice, leaves the lead as it was apart from `extraction` saying why (and no
 * suggestions): the dispatcher converts by hand. Suggesting again replaces the suggestions.
 */
@CommandHandler(SuggestLeadCommand)
export class SuggestLeadHandler implements ICommandHandler<SuggestLeadCommand> {
  private readonly logger = new Logger(SuggestLeadHandler.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly gateway: AiGateway,
    private readonly templates: PromptTemplates,
    private readonly leads: LeadsRepository,
    private readonly services: ServicesRepository,
  ) {}

  async execute({ context, leadId }: SuggestLeadCommand): Promise<LeadView> {
    const { lead, catalog } = await this.tx.run(context, async (tx) => {
      const found = await this.leads.find(tx, leadId);
      if (!found) throw notFound('Lead', leadId);
      assertLeadOpen(leadId, found.status);
      const services = await this.services.list(tx, { limit: MAX_SERVICES_OFFERED, active: true });
      return { lead: found, catalog: services.map((s) => ({ id: s.id, name: s.name })) };
    });

    const { suggestions, extraction } = await this.extract(context, lead.notes, catalog);

    return this.tx.run(context, async (tx) => {
      const current = await this.leads.find(tx, leadId, true);
      if (!current) throw notFound('Lead', leadId);
      assertLeadOpen(leadId, current.status);
      const saved = (await this.leads.saveSuggestions(tx, leadId, suggestions, extraction))!;
      await tx.audit({ action: 'field_service.lead_suggested', entityType: 'field_service_lead', entityId: leadId, after: { extraction: extraction.status, suggestions } });
      return saved;
    });
  }

  private async extract(context: CommandContext, notes: string, catalog: { id: string; name: string }[]): Promise<{ suggestions: LeadSuggestion[]; extraction: LeadExtraction }> {
    const schema = leadExtractionSchema(catalog.map((s) => s.name));
    try {
      const rendered = await this.templates.render(context, leadExtractionFeature, { notes, services: catalog.map((s) => s.name) });
      const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile<LeadExtractionAnswer>(schema);
      const answer = await structuredValidated(this.gateway, context, leadExtractionFeature, { messages: rendered.messages, template: rendered.template, schema, schemaName: 'lead_fields', temperature: 0 }, validate);
      const { provider, model, extractive } = answer.result;
      if (answer.valid) return { suggestions: toLeadSuggestions(answer.data, notes, catalog, extractive === true), extraction: { status: 'ok', detail: null, provider, model } };
      const fields = [...new Set(answer.problems.map((p) => p.field || '(root)'))].join(', ');
      return { suggestions: [], extraction: { status: 'invalid', detail: `The ${provider} model's answer did not match the lead schema twice (fields: ${fields}); fill the lead in by hand.`, provider, model } };
    } catch (error) {
      const detail = error instanceof ProblemException ? error.problem.detail : 'The AI provider could not be reached.';
      this.logger.warn(`Lead extraction unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return { suggestions: [], extraction: { status: 'unavailable', detail: `${detail ?? ''} Fill the lead in by hand.`.trim(), provider: null, model: null } };
    }
  }
}
