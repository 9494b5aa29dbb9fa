import { Query } from '@nestjs/cqrs';
import type { Probe } from '../../entities/probe.entity';

export class GetProbeQuery extends Query<Probe> {
  constructor(
    readonly tenantId: string,
    readonly probeId: string,
  ) {
    super();
  }
}
