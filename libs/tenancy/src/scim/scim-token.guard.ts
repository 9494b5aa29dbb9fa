import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { TenantTransaction, type CommandContext, type SwitchboardRequest } from '@switchboard/platform';
import { safeEqualHex, sha256 } from '../domain/secrets';
import { ScimError } from './scim-error';
import { ScimRepository } from './scim.repository';
import { parseScimToken } from './scim-token';

type ScimRequest = SwitchboardRequest & { scim?: { tenantId: string; tokenId: string } };

/**
 * The directory's credential: a tenant's SCIM token and nothing else (no access tokens, no API
 * keys), so SCIM routes are public to the platform guard and checked here. Every refusal is the
 * same 401, so a token of a suspended tenant, a revoked and a made-up one look alike.
 */
@Injectable()
export class ScimTokenGuard implements CanActivate {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly scim: ScimRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ScimRequest>();
    const match = /^Bearer (\S{1,300})$/i.exec(req.headers.authorization ?? '');
    const parsed = match ? parseScimToken(match[1]) : null;
    const refuse = () => new ScimError(401, 'Send the tenant’s SCIM token as "Authorization: Bearer sb_scim_…".');
    if (!parsed) throw refuse();
    const found = await this.tx.runAsSystem((m) => this.scim.tokenByPrefix(m, parsed.prefix));
    if (!found || found.revoked || found.tenantStatus !== 'active' || !safeEqualHex(found.secretHash, sha256(parsed.secret))) throw refuse();
    await this.tx.runAsSystem((m) => this.scim.touchToken(m, found.tenantId, found.id));
    req.scim = { tenantId: found.tenantId, tokenId: found.id };
    return true;
  }
}

/** The command context of a SCIM call: the token's tenant, the token as the (system) actor. */
export const ScimCtx = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const req = context.switchToHttp().getRequest<ScimRequest>();
  if (!req.scim) throw new ScimError(401, 'No SCIM credential.');
  const ua = req.headers['user-agent'];
  return {
    tenantId: req.scim.tenantId,
    actorId: req.scim.tokenId,
    actorType: 'system',
    correlationId: req.id !== undefined ? String(req.id) : null,
    ip: req.ip ?? null,
    userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null,
  };
});
