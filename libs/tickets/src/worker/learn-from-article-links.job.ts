import { CommandBus } from '@nestjs/cqrs';
import { RecordArticleCitationCommand } from '@switchboard/knowledge-base';
import { OnEvent, type DurableEventHandler, type EnvelopeOf, type TenantTx } from '@switchboard/platform';
import { MessagesRepository } from '../repositories/messages.repository';
import { TicketsRepository } from '../repositories/tickets.repository';
import { MessageAdded, TicketsQueue } from '../tickets.context';

/** The customer's messages read for the words a linked article answered. */
const CONVERSATION_MESSAGES = 20;

/**
 * The help-center article references in a reply: the slug or id after `/articles/` in any link
 * (the help center's pages and the api's article paths both have it), in the text or the HTML.
 */
export function articleRefsIn(text: string): string[] {
  const refs = new Set<string>();
  for (const m of text.matchAll(/\/articles\/([A-Za-z0-9][A-Za-z0-9-]{0,199})/g)) refs.add(m[1]!.toLowerCase());
  return [...refs].slice(0, 20);
}

/**
 * When an agent's public reply links help-center articles, the ticket's subject and the
 * customer's messages up to the reply become evidence that those words lead to those articles: the
 * knowledge base's search learns the customers' own words (ADR 0063). Once per event: the
 * knowledge base's receipt (per message) and this consumer's commit together.
 */
@OnEvent(MessageAdded, { queue: TicketsQueue, job: 'tickets.learn-from-article-links' })
export class LearnFromArticleLinksJob implements DurableEventHandler<typeof MessageAdded> {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
    private readonly commands: CommandBus,
  ) {}

  async handle(event: EnvelopeOf<typeof MessageAdded>, tx: TenantTx): Promise<void> {
    const { message } = event.payload;
    if (message.authorType !== 'agent' || message.visibility !== 'public') return;
    const refs = articleRefsIn(`${message.body}\n${message.html ?? ''}`);
    if (refs.length === 0) return;
    const ticket = await this.tickets.find(tx, message.ticketId);
    if (!ticket) return; // deleted since
    const asked = (await this.messages.firstAndRecent(tx, ticket.id, CONVERSATION_MESSAGES))
      .filter((m) => m.authorType === 'contact' && m.visibility === 'public' && m.createdAt <= message.createdAt)
      .map((m) => m.body);
    const text = [ticket.subject, ...asked].join('\n');
    // In this transaction (it nests): the evidence commits with this consumer's receipt.
    await this.commands.execute(
      new RecordArticleCitationCommand({ tenantId: tx.tenantId, actorId: event.actorId, actorType: 'system', correlationId: event.correlationId }, { source: `ticket-message:${message.id}`, articleRefs: refs, text }),
    );
  }
}
