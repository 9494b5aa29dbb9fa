import { Inject, Logger, Optional } from '@nestjs/common';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { AiGateway, aiGatewayConfig, PromptTemplates, type AiGatewayConfig } from '@switchboard/ai-gateway';
import { GetChunksQuery, SearchArticlesQuery, type ChunkText, type SearchResults } from '@switchboard/knowledge-base';
import { TenantTransaction, PLAN_FEATURE_POLICY, requirePlanFeature, type PlanFeaturePolicy } from '@switchboard/platform';
import { draftFeature } from '../../ai/ticket-ai-features';
import { AI_ASSISTS } from '../../domain/plan-feature.port';
import { renderConversation, suggestionText } from '../../domain/conversation';
import { MessagesRepository } from '../../repositories/messages.repository';
import { SuggestionsRepository } from '../../repositories/suggestions.repository';
import type { SuggestionView } from '../../repositories/suggestions.sql';
import { GroupsRepository } from '../../repositories/groups.repository';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { readAssistInputs, storeSuggestion } from '../shared/suggestions';
import { DraftReplyCommand } from './draft-reply.command';
import type { DraftPassage } from './draft-reply.command';

const PASSAGES = 3;
const SEARCH_CHARS = 900;
/** A passage's share of the prompt: chunks are bounded in size, this bounds a tenant's outliers. */
const PASSAGE_CHARS = 2000;

/**
 * A reply draft: the ticket's public conversation (internal notes never feed a text meant for
 * the customer) and the best public help-center passages for the subject and the customer's
 * latest message. Search trouble leaves the draft ungrounded rather than failing it.
 */
@CommandHandler(DraftReplyCommand)
export class DraftReplyHandler implements ICommandHandler<DraftReplyCommand> {
  private readonly logger = new Logger(DraftReplyHandler.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly gateway: AiGateway,
    private readonly templates: PromptTemplates,
    @Inject(aiGatewayConfig.token) private readonly config: AiGatewayConfig,
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
    private readonly suggestions: SuggestionsRepository,
    private readonly groups: GroupsRepository,
    @Optional() @Inject(PLAN_FEATURE_POLICY) private readonly plans?: PlanFeaturePolicy,
  ) {}

  async execute({ context, ticketId }: DraftReplyCommand): Promise<SuggestionView> {
    await requirePlanFeature(this.plans, context.tenantId, AI_ASSISTS);
    const { ticket, messages } = await this.tx.run(context, (tx) => readAssistInputs(tx, { tickets: this.tickets, messages: this.messages, groups: this.groups }, ticketId, 'draft'));
    const visible = messages.filter((m) => m.visibility === 'public');
    const lastAsk = [...visible].reverse().find((m) => m.authorType === 'contact')?.body ?? '';
    let passages: DraftPassage[] = [];
    let grounding: 'knowledge-base' | 'none' | 'unavailable' = 'none';
    try {
      const q = `${ticket.subject} ${lastAsk}`.replace(/\s+/g, ' ').trim().slice(0, SEARCH_CHARS);
      const found: SearchResults = await this.queries.execute(new SearchArticlesQuery({ tenantId: context.tenantId, q, audience: 'public', mode: 'hybrid', limit: PASSAGES }));
      // The chunks' whole text, so that a draft quotes whole sentences rather than a snippet's fragments.
      const chunks: ChunkText[] = await this.queries.execute(new GetChunksQuery(context.tenantId, found.results.map((r) => r.chunkId), 'public'));
      const text = new Map(chunks.map((c) => [c.chunkId, c.content]));
      // A chunk missing here stopped being public or published since the search: it is left out.
      passages = found.results.filter((r) => text.has(r.chunkId)).map((r) => ({ articleId: r.articleId, title: r.title, heading: r.heading, slug: r.slug, chunkId: r.chunkId, text: text.get(r.chunkId)!.slice(0, PASSAGE_CHARS) }));
      if (passages.length > 0) grounding = 'knowledge-base';
    } catch (error) {
      this.logger.warn({ err: error, tenantId: context.tenantId, ticketId }, 'knowledge-base search failed; drafting without passages');
      grounding = 'unavailable';
    }
    const variables = { subject: ticket.subject, conversation: renderConversation(visible, this.config.AI_ASSIST_CONVERSATION_TOKENS), passages };
    const prompt = await this.templates.render(context, draftFeature, {
      subject: variables.subject,
      conversation: variables.conversation,
      passages: passages.map((p) => ({ title: p.heading && p.heading !== p.title ? `${p.title} — ${p.heading}` : p.title, text: p.text })),
    });
    const result = await this.gateway.complete(context, draftFeature, { messages: prompt.messages, template: prompt.template, temperature: 0.3 });
    return this.tx.run(context, (tx) =>
      storeSuggestion(tx, { tickets: this.tickets, suggestions: this.suggestions }, {
        ticket,
        kind: 'draft',
        status: 'pending',
        output: { body: suggestionText(result.text), grounding, passages },
        confidence: null,
        variables,
        result,
      }),
    );
  }
}
