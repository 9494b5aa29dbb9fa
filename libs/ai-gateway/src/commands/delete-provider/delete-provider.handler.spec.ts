import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { TenantAiState } from '../../gateway/tenant-ai-state';
import type { AiSettingsRepository } from '../../repositories/ai-settings.repository';
import { DEFAULT_SETTINGS, type AiSettings, type StoredProvider } from '../../settings/ai-settings';
import { DeleteAiProviderCommand } from '../save-provider/save-provider.command';
import { DeleteAiProviderHandler } from './delete-provider.handler';

const ctx = testContext();
const oa: StoredProvider = { name: 'oa', kind: 'openai', baseUrl: null, defaultModel: null, keyId: null, secret: null, secretHint: null, updatedAt: '2026-12-01T00:00:00.000Z' };

function setup(settings: Partial<AiSettings>, found: StoredProvider | null = oa) {
  const tx = new FakeTenantTransaction();
  const repository = { settings: jest.fn(async () => ({ ...DEFAULT_SETTINGS, ...settings })), provider: jest.fn(async () => found ?? undefined), deleteProvider: jest.fn(async () => undefined) };
  const state = { changed: jest.fn(async () => undefined) };
  const handler = new DeleteAiProviderHandler(tx.asTenantTransaction(), state as unknown as TenantAiState, repository as unknown as AiSettingsRepository);
  return { tx, repository, state, remove: (name = 'oa') => handler.execute(new DeleteAiProviderCommand(ctx, name)) };
}

describe('DeleteAiProviderHandler', () => {
  it('removes an unused connection, audits it and tells every process', async () => {
    const { tx, repository, state, remove } = setup({});
    await remove();
    expect(repository.deleteProvider).toHaveBeenCalledWith(expect.anything(), 'oa');
    expect(tx.audits).toEqual([{ action: 'ai.provider_deleted', entityType: 'ai_provider', entityId: null, before: { name: 'oa', kind: 'openai' } }]);
    expect(state.changed).toHaveBeenCalledWith(ctx.tenantId);
  });

  it('answers 404 for a connection that does not exist', async () => {
    const { repository, state, remove } = setup({}, null);
    await expect(remove('gone')).rejects.toMatchObject({ status: 404 });
    expect(repository.deleteProvider).not.toHaveBeenCalled();
    expect(state.changed).not.toHaveBeenCalled();
  });

  it.each([
    ['the default provider', { defaultProvider: 'oa' }],
    ['in the fallback chain', { fallback: ['local', 'oa'] }],
    ['routed for a feature', { features: { summary: { provider: 'oa' } } }],
  ])('refuses with 409 while it is %s', async (_what, settings) => {
    const { tx, repository, state, remove } = setup(settings);
    await expect(remove()).rejects.toMatchObject({ status: 409, problem: { type: 'ai-provider-in-use' } });
    expect(repository.deleteProvider).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
    expect(state.changed).not.toHaveBeenCalled();
  });
});
