import { Query } from '@nestjs/cqrs';
import type { ErasureView } from '../../repositories/contact-erasures.repository';

/** The contact's latest erasure and its progress per context. */
export class GetContactErasureQuery extends Query<ErasureView> {
  constructor(
    readonly tenantId: string,
    readonly contactId: string,
  ) {
    super();
  }
}
