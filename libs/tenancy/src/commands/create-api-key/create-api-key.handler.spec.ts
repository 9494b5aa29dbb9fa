import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { parseApiKey, sha256 } from '../../domain/secrets';
import type { ApiKeysRepository } from '../../repositories/api-keys.repository';
import type { ApiKeyView } from '../../repositories/api-keys.sql';
import { CreateApiKeyCommand } from './create-api-key.command';
import { CreateApiKeyHandler } from './create-api-key.handler';

function setup() {
  const tx = new FakeTenantTransaction();
  const apiKeys = {
    create: jest.fn<ApiKeysRepository['create']>(
      async (_tx: TenantTx, k): Promise<ApiKeyView> => ({
        id: 'key-1',
        name: k.name,
        prefix: `sb_live_${k.prefix}`,
        scopes: k.scopes,
        createdBy: k.createdBy,
        createdAt: '2026-12-01T00:00:00.000Z',
        lastUsedAt: null,
        revokedAt: null,
      }),
    ),
  };
  const handler = new CreateApiKeyHandler(tx.asTenantTransaction(), apiKeys as unknown as ApiKeysRepository);
  return { tx, apiKeys, handler };
}

describe('CreateApiKeyHandler', () => {
  it('stores the secret only as a hash, returns the key once, with sorted unique scopes, and audits it', async () => {
    const { tx, apiKeys, handler } = setup();
    const created = await handler.execute(new CreateApiKeyCommand(testContext({ actorType: 'user', actorId: 'u1' }), 'CI', ['tickets:write', 'tickets:read', 'tickets:write']));
    const stored = apiKeys.create.mock.calls[0][1];
    expect(stored.scopes).toEqual(['tickets:read', 'tickets:write']);
    expect(stored.createdBy).toBe('u1');
    const parsed = parseApiKey(created.key)!;
    expect(parsed.prefix).toBe(stored.prefix);
    expect(stored.secretHash).toBe(sha256(parsed.secret));
    expect(JSON.stringify(stored)).not.toContain(parsed.secret);
    expect(tx.audits).toEqual([{ action: 'api_key.created', entityType: 'api_key', entityId: 'key-1', after: { name: 'CI', prefix: created.prefix, scopes: ['tickets:read', 'tickets:write'] } }]);
  });

  it('names no creator when an API key or an operator creates it', async () => {
    const { apiKeys, handler } = setup();
    await handler.execute(new CreateApiKeyCommand(testContext({ actorType: 'api_key', actorId: 'key-0' }), 'CI', ['tickets:read']));
    expect(apiKeys.create.mock.calls[0][1].createdBy).toBeNull();
  });
});
