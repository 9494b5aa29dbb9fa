import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { normaliseEmail } from '../../domain/email';
import { SsoRepository } from '../../sso/sso.repository';
import { SsoDiscoverQuery, type SsoDiscovery } from './sso-discover.query';

@QueryHandler(SsoDiscoverQuery)
export class SsoDiscoverHandler implements IQueryHandler<SsoDiscoverQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sso: SsoRepository,
  ) {}

  async execute({ email }: SsoDiscoverQuery): Promise<SsoDiscovery> {
    const normalised = normaliseEmail(email);
    const domain = normalised.slice(normalised.lastIndexOf('@') + 1);
    const found = await this.tx.runAsSystem((m) => this.sso.findByDomain(m, domain));
    if (!found || !found.enabled || found.tenant.status !== 'active') {
      throw new ProblemException({ status: 404, type: 'sso-not-found', title: 'Not Found', detail: `No single sign-on is set up for ${domain}; sign in with your password.` });
    }
    return { tenant: { slug: found.tenant.slug, name: found.tenant.name }, protocol: found.protocol };
  }
}
