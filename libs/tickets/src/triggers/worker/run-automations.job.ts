import { Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { HandlesJob, TenantTransaction, type JobHandler } from '@switchboard/platform';
import { rowsOf } from '../../channels/repositories/channels.repository';
import { RunAutomationsCommand } from '../commands/run-automations/run-automations.command';
import { automationsSql } from '../repositories/rules.sql';
import { RunAutomations } from '../triggers.registration';

/** Tickets examined per automation and acted on per tenant, per run (the schedule runs every 5 minutes). */
export const AUTOMATION_BATCH = 200;

/** Every tenant with an active automation gets one bounded run, each in its own transaction; one tenant's failure does not stop the others. */
@HandlesJob(RunAutomations)
export class RunAutomationsJob implements JobHandler<{ limit?: number }> {
  private readonly logger = new Logger(RunAutomationsJob.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly commands: CommandBus,
  ) {}

  async handle({ limit }: { limit?: number }): Promise<void> {
    const tenants = await this.tx.runAsSystem(async (manager) => {
      const s = automationsSql.tenantsWithAutomations();
      return rowsOf<{ tenant_id: string }[]>(await manager.query(s.sql, s.params));
    });
    for (const { tenant_id: tenantId } of tenants) {
      try {
        await this.commands.execute(new RunAutomationsCommand({ tenantId, actorId: null, correlationId: null, actorType: 'system' }, limit ?? AUTOMATION_BATCH));
      } catch (error) {
        this.logger.warn({ tenantId, error: String(error) }, 'Automations run failed for a tenant; the next run retries');
      }
    }
  }
}
