import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '../../../database/tenant-transaction';
import { Probe } from '../../entities/probe.entity';
import { ProbeRequested } from '../../../platform.context';
import { RequestProbeCommand } from './request-probe.command';

@CommandHandler(RequestProbeCommand)
export class RequestProbeHandler implements ICommandHandler<RequestProbeCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, note }: RequestProbeCommand): Promise<Probe> {
    return this.tx.run(context, async (tx) => {
      const probe = await tx.manager.save(Probe.request(context.tenantId, note));
      await tx.audit({ action: 'probe.requested', entityType: 'probe', entityId: probe.id, after: { note } });
      await tx.emit(ProbeRequested.of(probe.id, { probeId: probe.id }));
      return probe;
    });
  }
}
