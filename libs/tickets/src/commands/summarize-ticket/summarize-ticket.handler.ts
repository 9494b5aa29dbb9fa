import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AiGateway, aiGatewayConfig, PromptTemplates, type AiGatewayConfig } from '@switchboard/ai-gateway';
import { TenantTransaction, PLAN_FEATURE_POLICY, requirePlanFeature, type PlanFeaturePolicy } from '@switchboard/platform';
import { summaryFeature, type SummaryVariables } from '../../ai/ticket-ai-features';
import { AI_ASSISTS } from '../../domain/plan-feature.port';
import { renderConversation, suggestionText } from '../../domain/conversation';
import { MessagesRepository } from '../../repositories/messages.repository';
import { SuggestionsRepository } from '../../repositories/suggestions.repository';
import type { SuggestionView } from '../../repositories/suggestions.sql';
import { GroupsRepository } from '../../repositories/groups.repository';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { readAssistInputs, storeSuggestion } from '../shared/suggestions';
import { SummarizeTicketCommand } from './summarize-ticket.command';

/**
 * Reads the ticket in one short transaction, calls the model outside any transaction (a slow
 * provider must not hold the database), then stores the suggestion in a second one.
 */
@CommandHandler(SummarizeTicketCommand)
export class SummarizeTicketHandler implements ICommandHandler<SummarizeTicketCommand> {
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

  async execute({ context, ticketId }: SummarizeTicketCommand): Promise<SuggestionView> {
    await requirePlanFeature(this.plans, context.tenantId, AI_ASSISTS);
    const { ticket, messages } = await this.tx.run(context, (tx) => readAssistInputs(tx, { tickets: this.tickets, messages: this.messages, groups: this.groups }, ticketId, 'summary'));
    const variables: SummaryVariables = { subject: ticket.subject, conversation: renderConversation(messages, this.config.AI_ASSIST_CONVERSATION_TOKENS) };
    const prompt = await this.templates.render(context, summaryFeature, variables);
    const result = await this.gateway.complete(context, summaryFeature, { messages: prompt.messages, template: prompt.template, temperature: 0.2 });
    return this.tx.run(context, (tx) =>
      storeSuggestion(tx, { tickets: this.tickets, suggestions: this.suggestions }, {
        ticket,
        kind: 'summary',
        status: 'pending',
        output: { text: suggestionText(result.text) },
        confidence: null,
        variables,
        result,
      }),
    );
  }
}
