import type * as GoogleGenAiSdk from '@google/genai';
import type { GenerateContentResponse, GoogleGenAI } from '@google/genai';
import { onFirstUse } from '@switchboard/platform';
import type { CallOptions, ChatProvider, ChatProviderOptions, ChatRequest, ChatResult, ChatStreamEvent, StructuredRequest } from '../chat.port';
import { parseRetryAfter, ProviderError, toProviderError } from '../provider-error';

/** The SDK is loaded with the first provider built, not at boot. */
const googleGenAiSdk = onFirstUse<typeof GoogleGenAiSdk>('@google/genai');

/**
 * Gemini through `@google/genai`. Its errors carry no headers, so a thin fetch wrapper turns
 * non-2xx answers into ProviderErrors with their Retry-After before the SDK sees them; the
 * SDK's own retries are off (one attempt), like the other providers.
 */
export class GeminiChatProvider implements ChatProvider {
  readonly kind = 'gemini' as const;
  private readonly client: GoogleGenAI;

  constructor(options: ChatProviderOptions) {
    const fetchWithErrors: typeof fetch = async (input, init) => {
      const response = await options.fetch(input, init);
      if (response.ok) return response;
      const body = await response.text().catch(() => '');
      throw new ProviderError('gemini', `Gemini answered ${response.status}: ${body.slice(0, 300)}`, response.status, parseRetryAfter(response.headers));
    };
    const { GoogleGenAI: GoogleGenAiClient } = googleGenAiSdk();
    this.client = new GoogleGenAiClient({
      apiKey: options.apiKey || 'not-set',
      httpOptions: { baseUrl: options.baseUrl, timeout: options.timeoutMs, retryOptions: { attempts: 1 }, fetch: fetchWithErrors },
    });
  }

  private params(request: ChatRequest, options: CallOptions, extra: Record<string, unknown> = {}) {
    const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
    return {
      model: request.model,
      contents: request.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
      config: {
        abortSignal: options.signal,
        ...(system ? { systemInstruction: system } : {}),
        ...(request.maxTokens !== undefined ? { maxOutputTokens: request.maxTokens } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...extra,
      },
    };
  }

  async complete(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    try {
      return this.toResult(await this.client.models.generateContent(this.params(request, options)), request.model);
    } catch (error) {
      throw toProviderError('gemini', error, options.signal);
    }
  }

  async structured(request: StructuredRequest, options: CallOptions = {}): Promise<ChatResult> {
    try {
      const response = await this.client.models.generateContent(this.params(request, options, { responseMimeType: 'application/json', responseJsonSchema: request.schema }));
      return this.toResult(response, request.model);
    } catch (error) {
      throw toProviderError('gemini', error, options.signal);
    }
  }

  async *stream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<ChatStreamEvent> {
    let usage: ChatResult['usage'] = null;
    let finishReason: string | null = null;
    let model = request.model;
    try {
      const stream = await this.client.models.generateContentStream(this.params(request, options));
      for await (const chunk of stream) {
        if (chunk.modelVersion) model = chunk.modelVersion;
        if (chunk.usageMetadata) usage = { promptTokens: chunk.usageMetadata.promptTokenCount ?? 0, completionTokens: chunk.usageMetadata.candidatesTokenCount ?? 0 };
        const candidate = chunk.candidates?.[0];
        if (candidate?.finishReason) finishReason = String(candidate.finishReason);
        const text = candidate?.content?.parts?.map((p) => p.text ?? '').join('') ?? '';
        if (text) yield { type: 'delta', text };
      }
    } catch (error) {
      throw toProviderError('gemini', error, options.signal);
    }
    // Some SDKs end an aborted stream quietly; an abort must not look like a complete answer.
    if (options.signal?.aborted) throw toProviderError('gemini', new DOMException('aborted', 'AbortError'), options.signal);
    yield { type: 'done', usage, finishReason, model };
  }

  private toResult(response: GenerateContentResponse, requested: string): ChatResult {
    const candidate = response.candidates?.[0];
    return {
      text: candidate?.content?.parts?.map((p) => p.text ?? '').join('') ?? '',
      model: response.modelVersion ?? requested,
      usage: response.usageMetadata ? { promptTokens: response.usageMetadata.promptTokenCount ?? 0, completionTokens: response.usageMetadata.candidatesTokenCount ?? 0 } : null,
      finishReason: candidate?.finishReason ? String(candidate.finishReason) : null,
    };
  }
}
