import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export interface ArticleCitation {
  /** What cited the articles, unique per tenant (`ticket-message:<id>`): counted once however often it is sent. */
  source: string;
  /** Article ids or slugs as they appeared (links); unknown or unpublished ones are ignored. */
  articleRefs: string[];
  /** The words the citation answered (a ticket's subject and the customer's messages). */
  text: string;
}

/** Agents' replies that cite an article make the question's words evidence for it. */
export class RecordArticleCitationCommand extends Command<{ articleIds: string[]; words: number }> {
  readonly citation: ArticleCitation;

  constructor(
    readonly context: CommandContext,
    citation: ArticleCitation,
  ) {
    super();
    const source = citation.source.trim();
    if (!source || source.length > 200) throw new Error('RecordArticleCitationCommand: source must be 1–200 characters');
    this.citation = { source, articleRefs: [...new Set(citation.articleRefs.map((r) => r.trim()).filter((r) => r && r.length <= 200))].slice(0, 20), text: citation.text.slice(0, 8000) };
  }
}
