import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { defineAiFeature } from '../../features/ai-feature';
import { AiFeatureRegistry } from '../../features/ai-feature-registry';
import type { TenantAiState } from '../../gateway/tenant-ai-state';
import type { AiSettingsRepository } from '../../repositories/ai-settings.repository';
import { DEFAULT_SETTINGS, type AiSettings, type AiSettingsValues, type StoredProvider } from '../../settings/ai-settings';
import { UpdateAiSettingsCommand, type AiSettingsInput } from './update-settings.command';
import { UpdateAiSettingsHandler } from './update-settings.handler';

const ctx = testContext();
const provider = (name: string): StoredProvider => ({ name, kind: 'openai', baseUrl: null, defaultModel: null, keyId: null, secret: null, secretHint: null, updatedAt: '2026-12-01T00:00:00.000Z' });
const current: AiSettings = { ...DEFAULT_SETTINGS, features: { completion: { provider: 'oa' } }, version: 3, updatedAt: '2026-12-01T00:00:00.000Z' };

function setup(before: AiSettings = current) {
  const tx = new FakeTenantTransaction();
  const features = new AiFeatureRegistry();
  features.register([defineAiFeature({ name: 'summary', description: 'test' })]);
  const settings = {
    settings: jest.fn(async () => before),
    providers: jest.fn(async () => [provider('oa'), provider('an')]),
    saveSettings: jest.fn(async (_tx: unknown, next: AiSettingsValues): Promise<AiSettings> => ({ ...next, version: before.version + 1, updatedAt: '2026-12-02T00:00:00.000Z' })),
  };
  const state = { changed: jest.fn(async () => undefined) };
  const handler = new UpdateAiSettingsHandler(tx.asTenantTransaction(), state as unknown as TenantAiState, settings as unknown as AiSettingsRepository, features);
  return { tx, settings, state, update: (input: AiSettingsInput) => handler.execute(new UpdateAiSettingsCommand(ctx, input)) };
}

describe('UpdateAiSettingsHandler', () => {
  it('keeps what the input leaves out, saves, audits the change, emits ai.settings_updated and tells every process', async () => {
    const { tx, settings, state, update } = setup();
    const after = await update({ defaultProvider: 'an', features: { summary: { provider: 'oa', model: 'gpt-4o-mini' } }, version: 3 });
    const saved = settings.saveSettings.mock.calls[0]![1];
    expect(saved).toEqual({ defaultProvider: 'an', defaultModel: null, features: { summary: { provider: 'oa', model: 'gpt-4o-mini' } }, fallback: [], allowedModels: [], budget: {}, redaction: {} });
    expect(after.version).toBe(4);
    expect(tx.audits).toEqual([{ action: 'ai.settings_updated', entityType: 'ai_settings', entityId: null, before: expect.objectContaining({ defaultProvider: 'local', features: { completion: { provider: 'oa' } } }), after: expect.objectContaining({ defaultProvider: 'an' }) }]);
    expect(tx.audits[0]!.before).not.toHaveProperty('version');
    expect(tx.emitted).toEqual([{ type: 'ai.settings_updated', aggregateId: ctx.tenantId, payload: { version: 4 } }]);
    expect(state.changed).toHaveBeenCalledWith(ctx.tenantId);
  });

  it('refuses routes for features nobody registered with a 400 listing the registered ones, before reading anything', async () => {
    const { settings, state, update } = setup();
    const failure = update({ features: { summary: {}, sumary: { provider: 'oa' }, extraction: {} } });
    await expect(failure).rejects.toMatchObject({
      status: 400,
      problem: { type: 'validation-failed', errors: [{ field: 'features.sumary', message: 'is not an AI feature (registered: summary, extraction, completion)' }] },
    });
    expect(settings.settings).not.toHaveBeenCalled();
    expect(state.changed).not.toHaveBeenCalled();
  });

  it('refuses a stale version with 409 and saves nothing', async () => {
    const { tx, settings, update } = setup();
    await expect(update({ defaultModel: 'x', version: 2 })).rejects.toMatchObject({ status: 409, problem: { type: 'version-conflict' } });
    expect(settings.saveSettings).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('names every provider that is not configured and every model that is not allowed (422)', async () => {
    const { settings, state, update } = setup();
    await expect(update({ defaultProvider: 'nope', fallback: ['oa', 'gone'], allowedModels: ['gpt-4o-mini'], defaultModel: 'gpt-4o', features: { summary: { provider: 'an', model: 'claude' } } })).rejects.toMatchObject({
      status: 422,
      problem: {
        errors: [
          { field: 'defaultProvider', message: 'provider "nope" is not configured (known: local, oa, an)' },
          { field: 'fallback[1]', message: 'provider "gone" is not configured (known: local, oa, an)' },
          { field: 'features.summary.model', message: '"claude" is not in allowedModels' },
          { field: 'defaultModel', message: '"gpt-4o" is not in allowedModels' },
        ],
      },
    });
    expect(settings.saveSettings).not.toHaveBeenCalled();
    expect(state.changed).not.toHaveBeenCalled();
  });

  it('checks stored routes too: narrowing allowedModels under an existing route is refused', async () => {
    const { update } = setup({ ...current, features: { completion: { provider: 'oa', model: 'gpt-4o' } } });
    await expect(update({ allowedModels: ['gpt-4o-mini'] })).rejects.toMatchObject({ status: 422, problem: { errors: [{ field: 'features.completion.model', message: '"gpt-4o" is not in allowedModels' }] } });
  });
});
