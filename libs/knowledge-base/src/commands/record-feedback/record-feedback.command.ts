import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export interface FeedbackInput {
  helpful: boolean;
  comment?: string;
  /** An opaque id the help center keeps per visitor (cookie, local storage); else the IP and user agent stand in. */
  visitorId?: string;
}

export interface FeedbackResult {
  articleId: string;
  helpful: number;
  unhelpful: number;
  /** False when this visitor's earlier answer was replaced rather than counted again. */
  counted: boolean;
}

/** A reader's "was this helpful?": one answer per visitor and article, the latest one wins. */
export class RecordFeedbackCommand extends Command<FeedbackResult> {
  constructor(
    readonly context: CommandContext,
    readonly articleId: string,
    readonly input: FeedbackInput,
    readonly visitor: { ip: string | null; userAgent: string | null },
    /** Public visitors may only rate published public articles. */
    readonly audience: 'public' | 'agent',
  ) {
    super();
  }
}
