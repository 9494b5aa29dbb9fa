import type * as OpenAiSdk from 'openai';
import type OpenAI from 'openai';
import { onFirstUse } from '@switchboard/platform';
import type { CallOptions, ChatProvider, ChatProviderOptions, ChatRequest, ChatResult, ChatStreamEvent, StructuredRequest } from '../chat.port';
import { toProviderError } from '../provider-error';

/** The SDK is loaded with the first provider built, not at boot. */
const openAiSdk = onFirstUse<typeof OpenAiSdk>('openai');

/**
 * OpenAI's Chat Completions API through the official SDK; with a base URL, any compatible
 * server (Ollama, vLLM, LM Studio). The SDK's own retries are off: the gateway's policy is the
 * only one, so attempts are counted (and metered) once.
 */
export class OpenAiChatProvider implements ChatProvider {
  readonly kind = 'openai' as const;
  private readonly client: OpenAI;

  constructor(options: ChatProviderOptions) {
    const { default: OpenAiClient } = openAiSdk();
    this.client = new OpenAiClient({ apiKey: options.apiKey || 'not-needed', baseURL: options.baseUrl ?? 'https://api.openai.com/v1', maxRetries: 0, timeout: options.timeoutMs, fetch: options.fetch });
  }

  private params(request: ChatRequest) {
    return {
      model: request.model,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    };
  }

  async complete(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    try {
      const response = await this.client.chat.completions.create({ ...this.params(request), stream: false }, { signal: options.signal });
      return this.toResult(response);
    } catch (error) {
      throw toProviderError('openai', error, options.signal);
    }
  }

  async structured(request: StructuredRequest, options: CallOptions = {}): Promise<ChatResult> {
    try {
      const response = await this.client.chat.completions.create(
        {
          ...this.params(request),
          stream: false,
          response_format: { type: 'json_schema', json_schema: { name: request.schemaName ?? 'extraction', schema: request.schema, strict: false } },
        },
        { signal: options.signal },
      );
      return this.toResult(response);
    } catch (error) {
      throw toProviderError('openai', error, options.signal);
    }
  }

  async *stream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<ChatStreamEvent> {
    let usage: ChatResult['usage'] = null;
    let finishReason: string | null = null;
    let model = request.model;
    try {
      const stream = await this.client.chat.completions.create({ ...this.params(request), stream: true, stream_options: { include_usage: true } }, { signal: options.signal });
      for await (const chunk of stream) {
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
        const choice = chunk.choices?.[0];
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        const text = choice?.delta?.content;
        if (text) yield { type: 'delta', text };
      }
    } catch (error) {
      throw toProviderError('openai', error, options.signal);
    }
    // Some SDKs end an aborted stream quietly; an abort must not look like a complete answer.
    if (options.signal?.aborted) throw toProviderError('openai', new DOMException('aborted', 'AbortError'), options.signal);
    yield { type: 'done', usage, finishReason, model };
  }

  private toResult(response: OpenAI.Chat.Completions.ChatCompletion): ChatResult {
    const choice = response.choices?.[0];
    return {
      text: choice?.message?.content ?? '',
      model: response.model || '',
      usage: response.usage ? { promptTokens: response.usage.prompt_tokens, completionTokens: response.usage.completion_tokens } : null,
      finishReason: choice?.finish_reason ?? null,
    };
  }
}
