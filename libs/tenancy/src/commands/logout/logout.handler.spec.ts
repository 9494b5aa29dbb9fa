import { jest } from '@jest/globals';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { EntityManager } from 'typeorm';
import { sha256 } from '../../domain/secrets';
import type { RefreshTokensRepository } from '../../repositories/refresh-tokens.repository';
import { LogoutCommand } from './logout.command';
import { LogoutHandler } from './logout.handler';

describe('LogoutHandler', () => {
  it('revokes the sign-in of the token, found by its hash (the raw token never reaches the database)', async () => {
    const system = {} as EntityManager;
    const tx = Object.assign(new FakeTenantTransaction(), { runAsSystem: <T>(work: (m: EntityManager) => Promise<T>) => work(system) });
    const refreshTokens = { revokeFamilyOf: jest.fn<RefreshTokensRepository['revokeFamilyOf']>().mockResolvedValue(undefined) };
    await new LogoutHandler(tx.asTenantTransaction(), refreshTokens as unknown as RefreshTokensRepository).execute(new LogoutCommand('raw-refresh-token'));
    expect(refreshTokens.revokeFamilyOf).toHaveBeenCalledWith(system, sha256('raw-refresh-token'));
  });
});
