import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import { randomToken, sha256 } from '../domain/secrets';
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(
    m: EntityManager,
    input: { userId: string; role: string; tenant: Session['tenant']; familyId?: string },
  ): Promise<Session> {
    const refreshToken = randomToken(32);
    await m.query(
      `INSERT INTO refresh_tokens (tenant_id, user_id, family_id, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))`,
      [input.tenant.id, input.userId, input.familyId ?? randomUUID(), sha256(refreshToken), this.config.AUTH_REFRESH_TOKEN_TTL_DAYS],
    );
    const accessToken = await this.tokens.sign({ sub: input.userId, tid: input.tenant.id, role: input.role });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.tokens.accessTtlSeconds, tenant: input.tenant };
  }
}
