import type * as AnthropicSdk from '@anthropic-ai/sdk';
import type Anthropic from '@anthropic-ai/sdk';
import { onFirstUse } from '@switchboard/platform';
import type { CallOptions, ChatProvider, ChatProviderOptions, ChatRequest, ChatResult, ChatStreamEvent, StructuredRequest } from '../chat.port';
import { toProviderError } from '../provider-error';

/** The SDK is loaded with the first provider built, not at boot. */
const anthropicSdk = onFirstUse<typeof AnthropicSdk>('@anthropic-ai/sdk');

const DEFAULT_MAX_TOKENS = 1024;

/** Anthropic's Messages API through the official SDK; SDK retries off (the gateway retries). */
export class AnthropicChatProvider implements ChatProvider {
  readonly kind = 'anthropic' as const;
  private readonly client: Anthropic;

  constructor(options: ChatProviderOptions) {
    const { default: AnthropicClient } = anthropicSdk();
    this.client = new AnthropicClient({ apiKey: options.apiKey || 'not-set', baseURL: options.baseUrl ?? undefined, maxRetries: 0, timeout: options.timeoutMs, fetch: options.fetch });
  }

  private params(request: ChatRequest, extraSystem?: string) {
    const system = [...request.messages.filter((m) => m.role === 'system').map((m) => m.content), ...(extraSystem ? [extraSystem] : [])].join('\n\n');
    return {
      model: request.model,
      max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
      ...(system ? { system } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      messages: request.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
    };
  }

  async complete(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    try {
      return this.toResult(await this.client.messages.create({ ...this.params(request), stream: false }, { signal: options.signal }));
    } catch (error) {
      throw toProviderError('anthropic', error, options.signal);
    }
  }

  /** Structured output through a forced tool call whose input schema is the requested schema. */
  async structured(request: StructuredRequest, options: CallOptions = {}): Promise<ChatResult> {
    const name = request.schemaName ?? 'extraction';
    try {
      const message = await this.client.messages.create(
        {
          ...this.params(request),
          stream: false,
          tools: [{ name, description: 'Record the extracted values.', input_schema: request.schema as Anthropic.Messages.Tool.InputSchema }],
          tool_choice: { type: 'tool', name },
        },
        { signal: options.signal },
      );
      const toolUse = message.content.find((block) => block.type === 'tool_use');
      const result = this.toResult(message);
      return toolUse ? { ...result, text: JSON.stringify(toolUse.input) } : result;
    } catch (error) {
      throw toProviderError('anthropic', error, options.signal);
    }
  }

  async *stream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<ChatStreamEvent> {
    let promptTokens = 0;
    let completionTokens = 0;
    let sawUsage = false;
    let finishReason: string | null = null;
    let model = request.model;
    try {
      const stream = await this.client.messages.create({ ...this.params(request), stream: true }, { signal: options.signal });
      for await (const event of stream) {
        if (event.type === 'message_start') {
          model = event.message.model || model;
          promptTokens = event.message.usage?.input_tokens ?? 0;
          completionTokens = event.message.usage?.output_tokens ?? 0;
          sawUsage = true;
        } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          yield { type: 'delta', text: event.delta.text };
        } else if (event.type === 'message_delta') {
          completionTokens = event.usage?.output_tokens ?? completionTokens;
          finishReason = event.delta.stop_reason ?? finishReason;
        }
      }
    } catch (error) {
      throw toProviderError('anthropic', error, options.signal);
    }
    // Some SDKs end an aborted stream quietly; an abort must not look like a complete answer.
    if (options.signal?.aborted) throw toProviderError('anthropic', new DOMException('aborted', 'AbortError'), options.signal);
    yield { type: 'done', usage: sawUsage ? { promptTokens, completionTokens } : null, finishReason, model };
  }

  private toResult(message: Anthropic.Messages.Message): ChatResult {
    return {
      text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
      model: message.model,
      usage: message.usage ? { promptTokens: message.usage.input_tokens, completionTokens: message.usage.output_tokens } : null,
      finishReason: message.stop_reason ?? null,
    };
  }
}
