import { Query } from '@nestjs/cqrs';

/** The original MIME of an inbound message, byte for byte. */
export class GetInboundRawQuery extends Query<{ raw: Buffer; externalId: string }> {
  constructor(
    readonly tenantId: string,
    readonly inboundId: string,
  ) {
    super();
  }
}
