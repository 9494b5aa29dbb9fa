import { jest } from '@jest/globals';
import { testContext } from '@switchboard/platform/testing';
import { completionFeature } from '../../features/gateway-features';
import type { AiGateway } from '../../gateway/ai-gateway.service';
import { CompleteCommand, StreamCompletionCommand } from './complete.command';
import { CompleteHandler, StreamCompletionHandler } from './complete.handler';

describe('CompleteHandler / StreamCompletionHandler', () => {
  it("meter the caller's messages as the gateway's completion feature, passing the client's abort signal on", async () => {
    const gateway = { complete: jest.fn(async () => ({ text: 'ok' })), stream: jest.fn(async () => ({ provider: 'local' })) };
    const ctx = testContext();
    const input = { messages: [{ role: 'user' as const, content: 'hi' }], temperature: 0.2 };
    const signal = new AbortController().signal;
    await new CompleteHandler(gateway as unknown as AiGateway).execute(new CompleteCommand(ctx, input, signal));
    await new StreamCompletionHandler(gateway as unknown as AiGateway).execute(new StreamCompletionCommand(ctx, input, signal));
    expect(gateway.complete).toHaveBeenCalledWith(ctx, completionFeature, input, signal);
    expect(gateway.stream).toHaveBeenCalledWith(ctx, completionFeature, input, signal);
  });
});
