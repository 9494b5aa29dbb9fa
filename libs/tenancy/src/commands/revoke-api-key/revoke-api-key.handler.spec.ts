import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AccessCache } from '../../auth/access-cache';
import type { ApiKeysRepository } from '../../repositories/api-keys.repository';
import type { ApiKeyView } from '../../repositories/api-keys.sql';
import { RevokeApiKeyCommand } from './revoke-api-key.command';
import { RevokeApiKeyHandler } from './revoke-api-key.handler';

const context = testContext();
const key = (revokedAt: string | null): ApiKeyView => ({
  id: 'key-1',
  name: 'CI',
  prefix: 'sb_live_abcdefgh',
  scopes: ['tickets:read'],
  createdBy: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  lastUsedAt: null,
  revokedAt,
});

function setup(found: ApiKeyView | undefined) {
  const tx = new FakeTenantTransaction();
  const access = { changed: jest.fn<AccessCache['changed']>().mockResolvedValue(undefined) };
  const apiKeys = {
    findForUpdate: jest.fn<ApiKeysRepository['findForUpdate']>().mockResolvedValue(found),
    revoke: jest.fn<ApiKeysRepository['revoke']>().mockResolvedValue(undefined),
  };
  const handler = new RevokeApiKeyHandler(tx.asTenantTransaction(), access as unknown as AccessCache, apiKeys as unknown as ApiKeysRepository);
  return { tx, access, apiKeys, handler };
}

describe('RevokeApiKeyHandler', () => {
  it('revokes, audits, and drops cached credentials after the commit', async () => {
    const { tx, access, apiKeys, handler } = setup(key(null));
    await handler.execute(new RevokeApiKeyCommand(context, 'key-1'));
    expect(apiKeys.revoke).toHaveBeenCalledWith(expect.anything(), 'key-1');
    expect(tx.audits).toEqual([{ action: 'api_key.revoked', entityType: 'api_key', entityId: 'key-1', before: { revoked: false }, after: { revoked: true } }]);
    expect(access.changed).toHaveBeenCalledWith(context.tenantId);
    expect(access.changed.mock.invocationCallOrder[0]).toBeGreaterThan(apiKeys.revoke.mock.invocationCallOrder[0]);
  });

  it('revoking again changes and audits nothing', async () => {
    const { tx, apiKeys, handler } = setup(key('2026-12-02T00:00:00.000Z'));
    await handler.execute(new RevokeApiKeyCommand(context, 'key-1'));
    expect(apiKeys.revoke).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('answers 404 for an unknown key', async () => {
    const { apiKeys, access, handler } = setup(undefined);
    await expect(handler.execute(new RevokeApiKeyCommand(context, 'key-9'))).rejects.toMatchObject({ problem: { status: 404 } });
    expect(apiKeys.revoke).not.toHaveBeenCalled();
    expect(access.changed).not.toHaveBeenCalled();
  });
});
