import { SecretBox } from '@switchboard/platform';
import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AiGatewayConfig } from '../../ai-gateway.context';
import type { AiGateway } from '../../gateway/ai-gateway.service';
import type { TenantAiState } from '../../gateway/tenant-ai-state';
import type { AiSettingsRepository } from '../../repositories/ai-settings.repository';
import type { ProviderValues } from '../../repositories/ai-settings.sql';
import type { StoredProvider } from '../../settings/ai-settings';
import { SaveAiProviderCommand, type ProviderInput } from './save-provider.command';
import { SaveAiProviderHandler } from './save-provider.handler';

const ctx = testContext();
const secrets = new SecretBox([{ id: 'k1', key: Buffer.alloc(32, 7) }]);
const stored = (p: ProviderValues): StoredProvider => ({ ...p, updatedAt: '2026-12-01T00:00:00.000Z' });
const existing: StoredProvider = stored({ name: 'oa', kind: 'openai', baseUrl: null, defaultModel: 'gpt-4o-mini', keyId: 'k1', secret: Buffer.from('sealed'), secretHint: '…WXYZ (sha256:00000000)' });

function setup(found: StoredProvider | undefined, config: Partial<AiGatewayConfig> = {}) {
  const tx = new FakeTenantTransaction();
  const settings = { provider: jest.fn(async () => found), saveProvider: jest.fn(async (_tx: unknown, p: ProviderValues) => stored(p)) };
  const state = { changed: jest.fn(async () => undefined) };
  const handler = new SaveAiProviderHandler(
    tx.asTenantTransaction(),
    { secrets } as unknown as AiGateway,
    state as unknown as TenantAiState,
    settings as unknown as AiSettingsRepository,
    { AI_ALLOW_PRIVATE_BASE_URLS: false, ...config } as AiGatewayConfig,
  );
  const save = (name: string, input: ProviderInput) => handler.execute(new SaveAiProviderCommand(ctx, name, input));
  return { tx, settings, state, save };
}

describe('SaveAiProviderHandler', () => {
  it('creates a connection with its key sealed to tenant and name, audits it without the secret, and tells every process', async () => {
    const { tx, settings, state, save } = setup(undefined);
    const { provider, created } = await save('oa', { kind: 'openai', apiKey: 'sk-test-ABCD', baseUrl: 'https://api.openai.com/v1' });
    expect(created).toBe(true);
    const written = settings.saveProvider.mock.calls[0]![1];
    expect(written).toMatchObject({ name: 'oa', kind: 'openai', baseUrl: 'https://api.openai.com/v1', defaultModel: null, keyId: 'k1' });
    expect(secrets.decrypt('k1', written.secret!, `${ctx.tenantId}|oa`)).toBe('sk-test-ABCD');
    expect(() => secrets.decrypt('k1', written.secret!, 'other-tenant|oa')).toThrow();
    expect(provider).toEqual({ name: 'oa', kind: 'openai', baseUrl: 'https://api.openai.com/v1', defaultModel: null, hasSecret: true, secretHint: expect.stringMatching(/^…ABCD \(sha256:[0-9a-f]{8}\)$/), updatedAt: expect.any(String) });
    expect(tx.audits).toEqual([{ action: 'ai.provider_created', entityType: 'ai_provider', entityId: null, before: undefined, after: { name: 'oa', kind: 'openai', baseUrl: 'https://api.openai.com/v1', defaultModel: null, hasSecret: true, secretHint: provider.secretHint } }]);
    expect(JSON.stringify(tx.audits)).not.toContain('sk-test');
    expect(state.changed).toHaveBeenCalledWith(ctx.tenantId);
  });

  it('keeps the stored key when apiKey is left out, and removes it with null', async () => {
    const kept = setup(existing);
    const { created } = await kept.save('oa', { kind: 'openai', defaultModel: 'gpt-4o' });
    expect(created).toBe(false);
    expect(kept.settings.saveProvider.mock.calls[0]![1]).toMatchObject({ keyId: 'k1', secret: existing.secret, secretHint: existing.secretHint, defaultModel: 'gpt-4o' });
    expect(kept.tx.audits[0]).toMatchObject({ action: 'ai.provider_updated', before: { defaultModel: 'gpt-4o-mini', hasSecret: true }, after: { defaultModel: 'gpt-4o', hasSecret: true } });

    const removed = setup(existing);
    const { provider } = await removed.save('oa', { kind: 'openai', apiKey: null, baseUrl: 'https://llm.example.com/v1' });
    expect(removed.settings.saveProvider.mock.calls[0]![1]).toMatchObject({ keyId: null, secret: null, secretHint: null });
    expect(provider.hasSecret).toBe(false);
  });

  it('refuses the reserved name local and private base URLs (unless allowed), before any transaction', async () => {
    const { tx, settings, state, save } = setup(undefined);
    await expect(save('local', { kind: 'openai' })).rejects.toMatchObject({ status: 422, problem: { errors: [{ field: 'name', message: 'reserved' }] } });
    await expect(save('ollama', { kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1' })).rejects.toMatchObject({ status: 422, problem: { errors: [{ field: 'baseUrl', message: 'must not point at a loopback address' }] } });
    for (const [baseUrl, message] of [
      ['http://LOCALHOST./v1', 'host must not end with a dot'],
      ['http://[::127.0.0.1]/v1', 'must not point at a IPv4-compatible form of loopback address'],
      ['http://[fec0::1]/v1', 'must not point at a site-local address'],
      ['http://[64:ff9b::a9fe:a9fe]/v1', 'must not point at a IPv4-NAT64 form of link-local address'],
    ]) {
      await expect(save('ollama', { kind: 'openai', baseUrl })).rejects.toMatchObject({ status: 422, problem: { errors: [{ field: 'baseUrl', message }] } });
    }
    await expect(save('ollama', { kind: 'openai', baseUrl: 'http://user:pw@llm.example.com/v1' })).rejects.toMatchObject({ status: 422 });
    expect(settings.saveProvider).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
    expect(state.changed).not.toHaveBeenCalled();

    const allowed = setup(undefined, { AI_ALLOW_PRIVATE_BASE_URLS: true });
    await expect(allowed.save('ollama', { kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1' })).resolves.toMatchObject({ created: true });
  });

  it('publishes nothing when the write fails', async () => {
    const { settings, state, save } = setup(undefined);
    settings.saveProvider.mockRejectedValueOnce(new Error('database down'));
    await expect(save('oa', { kind: 'anthropic' })).rejects.toThrow('database down');
    expect(state.changed).not.toHaveBeenCalled();
  });
});
