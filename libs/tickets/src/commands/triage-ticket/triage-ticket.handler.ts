import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AiGateway, aiGatewayConfig, PromptTemplates, structuredValidated, type AiGatewayConfig } from '@switchboard/ai-gateway';
import { ProblemException, TenantTransaction, PLAN_FEATURE_POLICY, requirePlanFeature, type PlanFeaturePolicy } from '@switchboard/platform';
import { Ajv } from 'ajv';
import { triageFeature, type TriageVariables } from '../../ai/ticket-ai-features';
import { AI_ASSISTS } from '../../domain/plan-feature.port';
import { renderConversation } from '../../domain/conversation';
import { PRIORITIES } from '../../domain/ticket';
import { MessagesRepository } from '../../repositories/messages.repository';
import { SuggestionsRepository } from '../../repositories/suggestions.repository';
import type { SuggestionView } from '../../repositories/suggestions.sql';
import { GroupsRepository } from '../../repositories/groups.repository';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { readAssistInputs, storeSuggestion } from '../shared/suggestions';
import { TriageTicketCommand } from './triage-ticket.command';
import { triageSchema, type TriageAnswer } from './triage-schema';

/** Said in the output when triage had no group to route to. */
export const NO_GROUPS_REASON = 'This help desk has no ticket groups yet, so no group is suggested.';

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Triage through structured output, validated with ajv. A schema-invalid answer gets one retry
 * that tells the model what was wrong; a second one is stored as an `invalid` suggestion (so
 * provider quality can be reported) and answered with a 422 — it is never offered for accepting.
 */
@CommandHandler(TriageTicketCommand)
export class TriageTicketHandler implements ICommandHandler<TriageTicketCommand> {
  /**
   * Compiled once: the known tags only add `examples`, which do not change what is valid, and the
   * group's name is checked against the tenant's groups after validation (a name that is not one
   * of them counts as no group), so the validator need not change per tenant.
   */
  private readonly validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile<TriageAnswer>(triageSchema([], 'any'));

  constructor(
    private readonly tx: TenantTransaction,
    private readonly gateway: AiGateway,
    private readonly templates: PromptTemplates,
    @Inject(aiGatewayConfig.token) private readonly config: AiGatewayConfig,
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
    private readonly suggestions: SuggestionsRepository,
    private readonly groups: GroupsRepository,
    @Optional() @Inject(PLAN_FEATURE_POLICY) private readonly plans?: PlanFeaturePolicy,
  ) {}

  async execute({ context, ticketId }: TriageTicketCommand): Promise<SuggestionView> {
    await requirePlanFeature(this.plans, context.tenantId, AI_ASSISTS);
    const { ticket, messages, knownTags, groups } = await this.tx.run(context, (tx) => readAssistInputs(tx, { tickets: this.tickets, messages: this.messages, groups: this.groups }, ticketId, 'triage'));
    const variables: TriageVariables = {
      subject: ticket.subject,
      conversation: renderConversation(messages, this.config.AI_ASSIST_CONVERSATION_TOKENS),
      priorities: [...PRIORITIES],
      tags: knownTags,
      hasTags: knownTags.length > 0 ? 'yes' : '',
      groups: groups.map((g) => `- ${g.name}${g.description ? `: ${g.description.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`).join('\n'),
    };
    const groupNames = groups.map((g) => g.name);
    const schema = triageSchema(knownTags, groupNames);
    const rendered = await this.templates.render(context, triageFeature, variables);
    const answer = await structuredValidated(this.gateway, context, triageFeature, { messages: rendered.messages, template: rendered.template, schema, schemaName: 'triage', temperature: 0 }, this.validate);
    const { result } = answer;
    if (answer.valid) {
      const { data } = answer;
      const tags = [...new Map(data.tags.map((t) => [t.value, round(t.confidence)])).entries()].map(([value, c]) => ({ value, confidence: c }));
      const chosen = data.group?.value ? groups.find((g) => g.name === data.group!.value) : undefined;
      const group = chosen ? { value: chosen.id, name: chosen.name, confidence: round(data.group!.confidence) } : null;
      const notes = groups.length === 0 ? { group: NO_GROUPS_REASON } : chosen ? {} : { group: data.group?.value ? `The model named "${data.group.value}", which is not one of this help desk's groups.` : 'No group fits this ticket.' };
      const output = { priority: { value: data.priority.value, confidence: round(data.priority.confidence) }, tags, group, notes };
      return this.tx.run(context, (tx) =>
        storeSuggestion(tx, { tickets: this.tickets, suggestions: this.suggestions }, { ticket, kind: 'triage', status: 'pending', output, confidence: output.priority.confidence, variables, result, usageIds: answer.usageIds }),
      );
    }
    const { problems } = answer;
    const stored = await this.tx.run(context, (tx) =>
      storeSuggestion(tx, { tickets: this.tickets, suggestions: this.suggestions }, {
        ticket,
        kind: 'triage',
        status: 'invalid',
        output: { answer: result.text.slice(0, 4000), errors: problems },
        confidence: null,
        variables,
        result,
        usageIds: answer.usageIds,
      }),
    );
    throw new ProblemException({
      status: 422,
      type: 'ai-triage-invalid',
      title: 'Unprocessable Content',
      detail: `The ${result.provider} model's triage did not match the schema twice (fields: ${[...new Set(problems.map((p) => p.field || '(root)'))].join(', ')}); it was kept as invalid suggestion ${stored.id} and cannot be accepted.`,
      errors: problems,
      extensions: { suggestionId: stored.id, provider: result.provider, model: result.model },
    });
  }
}
