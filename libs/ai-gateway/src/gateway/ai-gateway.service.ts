import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createSafeFetch, ProblemException, type CommandContext, SecretBox } from '@switchboard/platform';
import { DataSource } from 'typeorm';
import type { ChatProvider, ChatRequest, ChatResult, ChatStreamEvent, ProviderKind, StructuredRequest, TokenUsage } from '../chat/chat.port';
import { ProviderError } from '../chat/provider-error';
import { AnthropicChatProvider } from '../chat/providers/anthropic-chat.provider';
import { GeminiChatProvider } from '../chat/providers/gemini-chat.provider';
import { LocalChatProvider, LOCAL_MODEL } from '../chat/providers/local-chat.provider';
import { OpenAiChatProvider } from '../chat/providers/openai-chat.provider';
import { ProviderResilience } from '../chat/resilience';
import { countMessageTokens, countTokens } from '../chat/tokens';
import type { AiSettings, MonthUsage, StoredProvider } from '../settings/ai-settings';
import type { AiFeature } from '../features/ai-feature';
import { AiFeatureRegistry } from '../features/ai-feature-registry';
import type { TemplateRef } from '../templates/template-versions';
import { PriceTable } from './price-table';
import { redactionEnabled, Redactor, type RedactionSettings } from './redaction';
import { hasBudget, TenantAiState } from './tenant-ai-state';
import { AiMetrics } from './ai-metrics';
import { UsageRecorder, type UsageEntry } from './usage-recorder';
import { aiGatewayConfig, type AiGatewayConfig } from '../ai-gateway.context';

export const KIND_DEFAULT_MODELS: Record<ProviderKind, string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
  gemini: 'gemini-2.0-flash',
  local: LOCAL_MODEL,
};

/** One step of a route: which configured provider, which model. */
interface RouteStep {
  name: string;
  kind: ProviderKind;
  model: string;
  provider: ChatProvider;
}

export interface CallPlan {
  steps: RouteStep[];
  promptTokens: number;
  /** Set when a budget passed its soft threshold. */
  warning: string | null;
  redaction: RedactionSettings;
  template: TemplateRef | null;
  /** The tenant has a monthly budget: calls count into the shared month counter as they end. */
  budgeted: boolean;
}

/** A call as features make it; `template` names the prompt template that produced the messages. */
export type GatewayRequest = Omit<ChatRequest, 'model'> & { model?: string; template?: TemplateRef };

export interface GatewayResult extends ChatResult {
  provider: string;
  usage: TokenUsage;
  warning: string | null;
  attempts: number;
  /** The `ai_usage` row that metered this call. */
  usageId: string;
}

export interface GatewayStream {
  provider: string;
  model: string;
  warning: string | null;
  events: AsyncIterable<ChatStreamEvent>;
}

/**
 * The gateway's core: routes a feature to the tenant's provider and model, checks budgets and
 * the prompt's size before anything leaves, runs the call under the resilience policies with
 * the fallback chain, and records exactly one usage row per call — success, failure or abort —
 * with the month's rollup and an `ai.usage_recorded` outbox event (written by UsageRecorder
 * right after the call answers).
 */
@Injectable()
export class AiGateway implements OnModuleInit {
  private readonly logger = new Logger('AiGateway');
  private readonly local = new LocalChatProvider();
  private readonly clients = new Map<string, ChatProvider>();
  readonly resilience: ProviderResilience;
  readonly prices: PriceTable;
  secrets!: SecretBox;
  /** Base URLs are tenant input: the address policy applies unless the operator runs models on its own network. */
  private readonly outbound: typeof fetch;

  constructor(
    @Inject(aiGatewayConfig.token) private readonly config: AiGatewayConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly state: TenantAiState,
    private readonly usage: UsageRecorder,
    private readonly features: AiFeatureRegistry,
    private readonly metrics: AiMetrics,
  ) {
    this.resilience = new ProviderResilience({
      timeoutMs: config.AI_TIMEOUT_MS,
      maxAttempts: config.AI_MAX_ATTEMPTS,
      baseDelayMs: config.AI_RETRY_BASE_DELAY_MS,
      maxDelayMs: config.AI_RETRY_MAX_DELAY_MS,
      breakerFailures: config.AI_BREAKER_FAILURES,
      halfOpenAfterMs: config.AI_BREAKER_HALF_OPEN_MS,
    });
    metrics.watchBreakers(() => this.resilience.openByProvider());
    this.prices = new PriceTable(config.AI_PRICES ?? {});
    this.outbound = createSafeFetch({ allowPrivate: config.AI_ALLOW_PRIVATE_BASE_URLS });
  }

  async onModuleInit(): Promise<void> {
    const configured = this.config.AI_ENCRYPTION_KEYS;
    if (configured && configured.length > 0) {
      this.secrets = new SecretBox(configured.map((entry) => ({ id: entry.split(':')[0]!, key: Buffer.from(entry.split(':')[1]!, 'base64') })));
      return;
    }
    const rows: { value: string }[] = await this.dataSource.query(`SELECT value FROM platform_secrets WHERE name = 'ai_encryption_key'`);
    if (!rows[0]) throw new Error('No AI encryption key: run the migrations or set AI_ENCRYPTION_KEYS');
    this.secrets = new SecretBox([{ id: 'db', key: Buffer.from(rows[0].value, 'base64') }]);
  }

  /** Settings, credentials and month-to-date usage (one Redis round trip when cached), then routing and budget checks. */
  async plan(ctx: CommandContext, feature: AiFeature, request: { model?: string; messages: ChatRequest['messages']; template?: TemplateRef }): Promise<CallPlan> {
    this.features.resolve(feature);
    const { settings, providers, used } = await this.state.forCall(ctx);
    const promptTokens = countMessageTokens(request.messages);
    if (promptTokens > this.config.AI_MAX_PROMPT_TOKENS) {
      throw new ProblemException({
        status: 413,
        type: 'ai-prompt-too-large',
        title: 'Content Too Large',
        detail: `The prompt has ${promptTokens} tokens; the gateway forwards at most ${this.config.AI_MAX_PROMPT_TOKENS}.`,
        extensions: { promptTokens, maxPromptTokens: this.config.AI_MAX_PROMPT_TOKENS },
      });
    }
    const warning = this.checkBudget(settings, used, promptTokens);
    const route = settings.features[feature.name] ?? {};
    const primaryName = route.provider ?? settings.defaultProvider;
    const names = [primaryName, ...settings.fallback.filter((n) => n !== primaryName)];
    const steps: RouteStep[] = [];
    for (const [index, name] of names.entries()) {
      const stored = providers.find((p) => p.name === name);
      if (name !== 'local' && !stored) {
        if (index === 0) throw new ProblemException({ status: 409, type: 'ai-provider-not-configured', title: 'Conflict', detail: `The AI provider "${name}" routed for ${feature.name} is not configured; PUT /v1/ai/providers/${name} or change the settings.` });
        continue;
      }
      const kind: ProviderKind = stored?.kind ?? 'local';
      // An explicit model applies to the primary only; fallbacks use their own defaults.
      const model = (index === 0 ? (request.model ?? route.model) : undefined) ?? stored?.defaultModel ?? (index === 0 ? settings.defaultModel : null) ?? KIND_DEFAULT_MODELS[kind];
      if (settings.allowedModels.length > 0 && kind !== 'local' && !settings.allowedModels.includes(model)) {
        if (index === 0) {
          throw new ProblemException({
            status: 422,
            type: 'ai-model-not-allowed',
            title: 'Unprocessable Content',
            detail: `The model "${model}" is not among this tenant's allowed models (${settings.allowedModels.join(', ')}).`,
            errors: [{ field: 'model', message: 'not an allowed model' }],
          });
        }
        continue;
      }
      steps.push({ name, kind, model, provider: stored ? this.client(ctx.tenantId, stored) : this.local });
    }
    return { steps, promptTokens, warning, redaction: settings.redaction, template: request.template ?? null, budgeted: hasBudget(settings.budget) };
  }

  private checkBudget(settings: AiSettings, counted: MonthUsage | null, promptTokens: number): string | null {
    const { monthlyTokens, monthlyCostCents, softLimitPercent = 80, planLimits = {} } = settings.budget;
    // Null only when neither budget is set, and then nothing below reads it.
    const used = counted ?? { tokens: 0, costMicros: 0 };
    const warnings: string[] = [];
    if (monthlyTokens != null) {
      if (used.tokens + promptTokens > monthlyTokens) {
        throw budgetExceeded('monthlyTokens', `the monthly token budget of ${monthlyTokens} tokens (used ${used.tokens}, this prompt ${promptTokens})`, monthlyTokens, used.tokens, planLimits.monthlyTokens);
      }
      if (used.tokens >= (monthlyTokens * softLimitPercent) / 100) warnings.push(`monthlyTokens: ${used.tokens} of ${monthlyTokens} tokens used`);
    }
    if (monthlyCostCents != null) {
      const limitMicros = monthlyCostCents * 10_000;
      if (used.costMicros >= limitMicros) {
        throw budgetExceeded('monthlyCostCents', `the monthly cost budget of ${monthlyCostCents} US cents (used ${(used.costMicros / 10_000).toFixed(2)})`, monthlyCostCents, Math.ceil(used.costMicros / 10_000), planLimits.monthlyCostCents);
      }
      if (used.costMicros >= (limitMicros * softLimitPercent) / 100) warnings.push(`monthlyCostCents: ${(used.costMicros / 10_000).toFixed(2)} of ${monthlyCostCents} cents used`);
    }
    return warnings.length > 0 ? warnings.join('; ') : null;
  }

  private client(tenantId: string, stored: StoredProvider): ChatProvider {
    const key = `${tenantId}|${stored.name}|${stored.updatedAt}`;
    let client = this.clients.get(key);
    if (!client) {
      const apiKey = stored.secret && stored.keyId ? this.secrets.decrypt(stored.keyId, stored.secret, `${tenantId}|${stored.name}`) : undefined;
      const options = { apiKey, baseUrl: stored.baseUrl ?? undefined, timeoutMs: this.config.AI_TIMEOUT_MS, fetch: this.outbound };
      client = stored.kind === 'openai' ? new OpenAiChatProvider(options) : stored.kind === 'anthropic' ? new AnthropicChatProvider(options) : new GeminiChatProvider(options);
      this.clients.set(key, client);
      if (this.clients.size > 1000) this.clients.delete(this.clients.keys().next().value!);
    }
    return client;
  }

  complete(ctx: CommandContext, feature: AiFeature, request: GatewayRequest, signal?: AbortSignal): Promise<GatewayResult> {
    return this.call(ctx, feature, request, (provider, req, s) => provider.complete(req, { signal: s }), signal);
  }

  structured(ctx: CommandContext, feature: AiFeature, request: Omit<StructuredRequest, 'model'> & GatewayRequest, signal?: AbortSignal): Promise<GatewayResult> {
    return this.call(ctx, feature, request, (provider, req, s) => provider.structured({ ...request, ...req }, { signal: s }), signal);
  }

  private async call(
    ctx: CommandContext,
    feature: AiFeature,
    request: GatewayRequest,
    run: (provider: ChatProvider, request: ChatRequest, signal: AbortSignal) => Promise<ChatResult>,
    signal?: AbortSignal,
  ): Promise<GatewayResult> {
    const plan = await this.plan(ctx, feature, request);
    const started = performance.now();
    let attempts = 0;
    let lastError: ProviderError | null = null;
    let step = plan.steps[0]!;
    for (step of plan.steps) {
      try {
        const redactor = this.redactor(plan, step);
        const sent = redactor ? { ...request, messages: redactor.messages(request.messages) } : request;
        const result = await this.resilience.execute(step.kind, `${ctx.tenantId}|${step.name}`, (s) => run(step.provider, { ...sent, model: step.model, ...providerFields(feature) }, s), signal, () => attempts++);
        const usage = result.usage ?? { promptTokens: plan.promptTokens, completionTokens: countTokens(result.text) };
        const usageId = await this.record(ctx, feature, step, result.model || step.model, usage, started, attempts, 'success', null, plan);
        const text = !redactor ? result.text : 'schema' in request ? redactor.restoreJson(result.text) : redactor.restore(result.text);
        return { ...result, text, provider: step.name, usage, warning: plan.warning, attempts, usageId };
      } catch (error) {
        lastError = error instanceof ProviderError ? error : new ProviderError(step.kind, String((error as Error)?.message ?? error), null, null, 'network');
        if (lastError.kind === 'aborted') break;
        this.logger.warn({ provider: step.name, tenantId: ctx.tenantId, status: lastError.status, error: lastError.message }, 'AI provider call failed');
      }
    }
    const aborted = lastError?.kind === 'aborted';
    await this.record(ctx, feature, step, step.model, { promptTokens: aborted ? plan.promptTokens : 0, completionTokens: 0 }, started, attempts, aborted ? 'aborted' : 'error', lastError?.message ?? null, plan);
    throw providerFailed(lastError!, plan.steps.map((s) => s.name));
  }

  /**
   * A stream whose first event is awaited under the policies (retries and fallback happen before
   * anything reaches the client); after that, deltas flow through. The usage row is written when
   * the stream ends, fails or the client goes away — counting the tokens streamed so far.
   */
  async stream(ctx: CommandContext, feature: AiFeature, request: GatewayRequest, signal: AbortSignal): Promise<GatewayStream> {
    const plan = await this.plan(ctx, feature, request);
    const started = performance.now();
    let attempts = 0;
    let lastError: ProviderError | null = null;
    for (const step of plan.steps) {
      const redactor = this.redactor(plan, step);
      const sent = redactor ? { ...request, messages: redactor.messages(request.messages) } : request;
      try {
        const opened = await this.resilience.execute(
          step.kind,
          `${ctx.tenantId}|${step.name}`,
          async (attemptSignal) => {
            const controller = new AbortController();
            const onOuter = () => controller.abort();
            signal.addEventListener('abort', onOuter, { once: true });
            const onTimeout = () => controller.abort();
            attemptSignal.addEventListener('abort', onTimeout, { once: true });
            try {
              const iterator = step.provider.stream({ ...sent, model: step.model, ...providerFields(feature) }, { signal: controller.signal })[Symbol.asyncIterator]();
              const first = await iterator.next();
              return { iterator, first, release: () => signal.removeEventListener('abort', onOuter) };
            } finally {
              attemptSignal.removeEventListener('abort', onTimeout);
            }
          },
          signal,
          () => attempts++,
        );
        const events = this.meteredStream(ctx, feature, step, plan, opened, started, () => attempts, signal);
        return { provider: step.name, model: step.model, warning: plan.warning, events: redactor ? redactor.restoreStream(events) : events };
      } catch (error) {
        lastError = error instanceof ProviderError ? error : new ProviderError(step.kind, String((error as Error)?.message ?? error), null, null, 'network');
        if (lastError.kind === 'aborted') break;
      }
    }
    const aborted = lastError?.kind === 'aborted';
    const step = plan.steps[0]!;
    await this.record(ctx, feature, step, step.model, { promptTokens: aborted ? plan.promptTokens : 0, completionTokens: 0 }, started, attempts, aborted ? 'aborted' : 'error', lastError?.message ?? null, plan);
    throw providerFailed(lastError!, plan.steps.map((s) => s.name));
  }

  private async *meteredStream(
    ctx: CommandContext,
    feature: AiFeature,
    step: RouteStep,
    plan: CallPlan,
    opened: { iterator: AsyncIterator<ChatStreamEvent>; first: IteratorResult<ChatStreamEvent>; release: () => void },
    started: number,
    attempts: () => number,
    signal: AbortSignal,
  ): AsyncIterable<ChatStreamEvent> {
    let text = '';
    let reported: TokenUsage | null = null;
    let model = step.model;
    let outcome: 'success' | 'error' | 'aborted' = 'aborted';
    let error: string | null = null;
    try {
      let next = opened.first;
      while (!next.done) {
        const event = next.value;
        if (event.type === 'delta') text += event.text;
        else {
          reported = event.usage;
          model = event.model || model;
        }
        yield event;
        if (signal.aborted) break;
        next = await opened.iterator.next();
      }
      outcome = signal.aborted ? 'aborted' : 'success';
    } catch (e) {
      outcome = signal.aborted ? 'aborted' : 'error';
      error = e instanceof Error ? e.message.slice(0, 500) : String(e);
      if (outcome === 'error') throw e;
    } finally {
      opened.release();
      if (outcome !== 'success') await opened.iterator.return?.().catch(() => undefined);
      const usage = reported ?? { promptTokens: plan.promptTokens, completionTokens: countTokens(text) };
      await this.record(ctx, feature, step, model, usage, started, attempts(), outcome, error, plan).catch((e: unknown) => this.logger.error({ err: e }, 'Could not record AI usage'));
    }
  }

  /** Personal data is kept from every provider that is not the offline one, when the tenant asks. */
  private redactor(plan: CallPlan, step: RouteStep): Redactor | null {
    return step.kind !== 'local' && redactionEnabled(plan.redaction) ? new Redactor(plan.redaction) : null;
  }

  /** The call's one usage row: its id now, the row itself right after the call answers (UsageRecorder). */
  private record(ctx: CommandContext, feature: AiFeature, step: RouteStep, model: string, usage: TokenUsage, started: number, attempts: number, outcome: UsageEntry['outcome'], error: string | null, plan: CallPlan): Promise<string> {
    const costMicros = this.prices.costMicros(model, usage);
    this.metrics.called(step.kind, model, usage, costMicros);
    return this.usage.record({ context: ctx, feature: feature.name, provider: step.name, model, usage, costMicros, latencyMs: Math.round(performance.now() - started), attempts, outcome, error, template: plan.template, budgeted: plan.budgeted });
  }
}

/** What a provider learns of the feature: its name, and how the offline provider should answer it. */
const providerFields = (feature: AiFeature) => ({ feature: feature.name, ...(feature.offline ? { offline: feature.offline } : {}) });

/** `plan`: the plan whose limit this is (upgrading raises it), when it is not the tenant's own setting. */
function budgetExceeded(budget: string, what: string, limit: number, used: number, plan?: string): ProblemException {
  return new ProblemException({
    status: 402,
    type: 'ai-budget-exceeded',
    title: 'Payment Required',
    detail: plan
      ? `This request would exceed ${what} of the ${plan} plan. Upgrade the plan or wait for next month.`
      : `This request would exceed ${what}. Raise the budget in PUT /v1/ai/settings or wait for next month.`,
    extensions: { budget, limit, used, ...(plan ? { plan } : {}) },
  });
}

function providerFailed(error: ProviderError, tried: string[]): ProblemException {
  if (error.kind === 'aborted') return new ProblemException({ status: 499, type: 'client-closed-request', title: 'Client Closed Request', detail: 'The client went away before the answer was ready.' });
  if (error.kind === 'refused') {
    return new ProblemException({
      status: 502,
      type: 'ai-provider-refused',
      title: 'Bad Gateway',
      detail: `The AI provider was not called: ${error.message.slice(0, 300)}. Point its baseUrl at a public address, or set AI_ALLOW_PRIVATE_BASE_URLS for self-hosted models.`,
      extensions: { providers: tried, providerStatus: null },
    });
  }
  const timeout = error.kind === 'timeout';
  return new ProblemException({
    status: timeout ? 504 : 502,
    type: timeout ? 'ai-provider-timeout' : 'ai-provider-failed',
    title: timeout ? 'Gateway Timeout' : 'Bad Gateway',
    detail: `The AI provider${tried.length > 1 ? 's' : ''} ${tried.map((n) => `"${n}"`).join(', ')} failed: ${error.message.slice(0, 300)}`,
    extensions: { providers: tried, providerStatus: error.status },
  });
}
