import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ChatMessage } from '../../chat/chat.port';
import type { GatewayResult, GatewayStream } from '../../gateway/ai-gateway.service';

export interface CompletionInput {
  messages: ChatMessage[];
  model?: string;
  maxTokens?: number;
  temperature?: number;
}

export class CompleteCommand extends Command<GatewayResult> {
  constructor(
    readonly context: CommandContext,
    readonly input: CompletionInput,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}

export class StreamCompletionCommand extends Command<GatewayStream> {
  constructor(
    readonly context: CommandContext,
    readonly input: CompletionInput,
    readonly signal: AbortSignal,
  ) {
    super();
  }
}
