import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { MessageView } from '../../repositories/messages.sql';
import type { SuggestionView } from '../../repositories/suggestions.sql';
import type { TicketView } from '../../repositories/tickets.sql';

/** The fields a triage suggests, any of which accepting applies. */
export const TRIAGE_FIELDS = ['priority', 'tags', 'group'] as const;
export type TriageField = (typeof TRIAGE_FIELDS)[number];

/** The agent's changes to a suggestion before it is applied; each fits one kind only. */
export interface SuggestionEdits {
  /** draft: the reply as edited; summary: the note's text (with asNote). */
  body?: string;
  /** draft: send as a public reply (default) or keep as an internal note. */
  visibility?: 'public' | 'internal';
  /** summary: also add the summary to the ticket as an internal note. */
  asNote?: boolean;
  /** triage: which suggested fields to apply (default: priority, tags, and the group when one was suggested). */
  fields?: TriageField[];
  /** triage: the priority to set instead of the suggested one. */
  priority?: string;
  /** triage: the tags to add instead of the suggested ones. */
  tags?: string[];
  /** triage: the group to move the ticket to instead of the suggested one. */
  groupId?: string;
}

export interface AcceptedSuggestion {
  suggestion: SuggestionView;
  /** The ticket after a triage was applied. */
  ticket: TicketView | null;
  /** The message a draft (or a summary kept as a note) became. */
  message: MessageView | null;
}

export class AcceptSuggestionCommand extends Command<AcceptedSuggestion> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly suggestionId: string,
    readonly edits: SuggestionEdits,
    /** If-Match from the agent; without it a triage applies only to the version it was made for. */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
