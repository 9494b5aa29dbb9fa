/** Fakes of the AI gateway's services for the assist handlers' unit tests (import from *.spec.ts files only). */
import { jest } from '@jest/globals';
import type { AiGateway, AiGatewayConfig, GatewayResult, PromptTemplates, RenderedPrompt } from '@switchboard/ai-gateway';
import type { TenantTransaction } from '@switchboard/platform';

export const aGatewayResult = (overrides: Partial<GatewayResult> = {}): GatewayResult => ({
  text: 'A summary.',
  model: 'fake-1',
  usage: { promptTokens: 100, completionTokens: 20 },
  finishReason: 'stop',
  extractive: false,
  provider: 'fake',
  warning: null,
  attempts: 1,
  usageId: 'usage-1',
  ...overrides,
});

/**
 * `complete` and `structured` answer the given texts in turn (the last one repeats) and record
 * whether a tenant transaction was open when they were called: none may be.
 */
export function fakeAi(tx: Pick<TenantTransaction, 'current'>, ...texts: string[]) {
  const callsInsideTransaction: string[] = [];
  let turn = 0;
  const answer = async (): Promise<GatewayResult> => {
    if (tx.current()) callsInsideTransaction.push('gateway');
    return aGatewayResult({ text: texts[Math.min(turn++, texts.length - 1)] ?? '' });
  };
  const gateway = {
    complete: jest.fn<AiGateway['complete']>(answer),
    structured: jest.fn<AiGateway['structured']>(answer),
  };
  const templates = {
    render: jest.fn(async (_ctx: unknown, feature: { name: string }, _variables: unknown): Promise<RenderedPrompt> => ({
      messages: [{ role: 'user', content: `rendered ${feature.name}` }],
      template: { feature: feature.name, version: 1, source: 'default' },
    })),
  };
  const config = { AI_ASSIST_CONVERSATION_TOKENS: 6000 } as AiGatewayConfig;
  return {
    gateway,
    templates,
    config,
    callsInsideTransaction,
    asGateway: () => gateway as unknown as AiGateway,
    asTemplates: () => templates as unknown as PromptTemplates,
  };
}
