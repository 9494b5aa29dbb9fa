import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { randomToken, sha256 } from '../domain/secrets';
import { RefreshTokensRepository } from '../repositories/refresh-tokens.repository';
import { tenancyConfig, type TenancyConfig } from '../tenancy.context';
import { TokenService } from './token-service';

export interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  tenant: { id: string; slug: string; name: string };
}

/** Access token + a refresh token stored hashed; a refresh token belongs to a family (one login). */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokensRepository,
    @Inject(tenancyConfig.token) private readonly config: TenancyConfig,
  ) {}

  async issue(
    m: EntityManager,
    input: { userId: string; role: string; tenant: Session['tenant']; familyId?: string },
  ): Promise<Session> {
    const refreshToken = randomToken(32);
    await this.refreshTokens.insert(m, {
      tenantId: input.tenant.id,
      userId: input.userId,
      familyId: input.familyId ?? randomUUID(),
      tokenHash: sha256(refreshToken),
      ttlDays: this.config.AUTH_REFRESH_TOKEN_TTL_DAYS,
    });
    const accessToken = await this.tokens.sign({ sub: input.userId, tid: input.tenant.id, role: input.role });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.tokens.accessTtlSeconds, tenant: input.tenant };
  }
}
