import type * as OpenAiSdk from 'openai';
import type OpenAI from 'openai';
import { onFirstUse } from '@switchboard/platform';
import type { EmbeddingsProvider } from '../embeddings.port';

/** The SDK is loaded with the first provider built, not at boot. */
const openAiSdk = onFirstUse<typeof OpenAiSdk>('openai');

export interface OpenAiEmbeddingsOptions {
  /** e.g. https://api.openai.com/v1 or any OpenAI-compatible server's /v1 */
  baseURL: string;
  apiKey?: string;
  model: string;
  dimensions: number;
  /** Send `dimensions` in the request (text-embedding-3-* honour it; some servers reject it). */
  requestDimensions?: boolean;
  /** Inputs per request. */
  batchSize?: number;
  /** Per attempt, in milliseconds. */
  timeoutMs?: number;
  /** Retries of 408/409/429/5xx, timeouts and connection errors, with the SDK's jittered backoff (honouring Retry-After). */
  maxRetries?: number;
  /** The HTTP client; the platform's outbound client in the app, the global fetch if omitted. */
  fetch?: typeof fetch;
}

/** Whatever went wrong talking to the embeddings endpoint, said plainly. */
export class EmbeddingsProviderError extends Error {
  override name = 'EmbeddingsProviderError';
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Any OpenAI-compatible `/v1/embeddings` endpoint through the official SDK: batched requests,
 * retries with backoff and per-attempt timeouts from the SDK, answers checked (one vector per
 * input, the configured dimension, finite numbers) and unit-normalised.
 */
export class OpenAiEmbeddingsProvider implements EmbeddingsProvider {
  readonly id = 'openai';
  readonly model: string;
  readonly dimensions: number;
  private readonly client: OpenAI;
  private readonly batchSize: number;

  constructor(private readonly options: OpenAiEmbeddingsOptions) {
    this.model = options.model;
    this.dimensions = options.dimensions;
    this.batchSize = options.batchSize ?? 64;
    // Every setting is passed explicitly so that the SDK never falls back to OPENAI_* variables.
    const { default: OpenAiClient } = openAiSdk();
    this.client = new OpenAiClient({
      baseURL: options.baseURL,
      apiKey: options.apiKey ?? 'unused',
      organization: null,
      project: null,
      timeout: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async embed(texts: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize).map((t) => (t.length === 0 ? ' ' : t));
      out.push(...(await this.embedBatch(batch, options.signal)));
    }
    return out;
  }

  private async embedBatch(input: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    let response: OpenAI.CreateEmbeddingResponse;
    const started = Date.now();
    try {
      response = await this.client.embeddings.create(
        {
          model: this.model,
          input,
          encoding_format: 'float',
          ...(this.options.requestDimensions !== false ? { dimensions: this.dimensions } : {}),
        },
        { signal },
      );
    } catch (error) {
      throw describeFailure(error, this.options.baseURL, { elapsedMs: Date.now() - started, timeoutMs: this.client.timeout });
    }
    const data = Array.isArray(response?.data) ? response.data : undefined;
    if (!data || data.length !== input.length) {
      throw new EmbeddingsProviderError(`embeddings endpoint returned ${data?.length ?? 'no'} vectors for ${input.length} inputs`);
    }
    const vectors = new Array<Float32Array>(input.length);
    for (const [position, item] of data.entries()) {
      const index = typeof item.index === 'number' ? item.index : position;
      const embedding = item.embedding as unknown;
      if (!Array.isArray(embedding)) throw new EmbeddingsProviderError('embeddings endpoint returned a non-array embedding');
      if (embedding.length !== this.dimensions) {
        throw new EmbeddingsProviderError(
          `embeddings endpoint returned ${embedding.length}-dimensional vectors for model "${this.model}", but EMBEDDINGS_DIMENSIONS is ${this.dimensions}`,
        );
      }
      if (index < 0 || index >= input.length || vectors[index]) throw new EmbeddingsProviderError(`embeddings endpoint returned a bad or repeated index ${index}`);
      vectors[index] = unitVector(embedding as unknown[]);
    }
    return vectors;
  }
}

function unitVector(values: unknown[]): Float32Array {
  const vector = new Float32Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new EmbeddingsProviderError('embeddings endpoint returned a non-numeric component');
    vector[i] = v;
    sum += v * v;
  }
  const norm = Math.sqrt(sum);
  if (norm === 0) throw new EmbeddingsProviderError('embeddings endpoint returned a zero vector');
  for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}

function describeFailure(error: unknown, baseURL: string, timing: { elapsedMs: number; timeoutMs: number }): Error {
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = openAiSdk();
  if (error instanceof APIUserAbortError) return error;
  // The SDK recognises its own timeout by the abort error's name, which it loses when fetch runs
  // in another realm (test VMs); a connection failure that took the whole timeout is one too.
  if (error instanceof APIConnectionTimeoutError || (error instanceof APIConnectionError && timing.elapsedMs >= timing.timeoutMs)) {
    return new EmbeddingsProviderError(`embeddings endpoint ${baseURL} timed out (${timing.timeoutMs} ms per attempt)`, undefined, { cause: error });
  }
  if (error instanceof APIError) {
    const status = error.status;
    const what = status ? `answered ${status}` : 'could not be reached';
    return new EmbeddingsProviderError(`embeddings endpoint ${baseURL} ${what}: ${error.message}`, status, { cause: error });
  }
  return new EmbeddingsProviderError(`embeddings request failed: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
}
