import type { QueryBus } from '@nestjs/cqrs';
import { ProblemException, type CommandContext } from '@switchboard/platform';
import { GetMemberRoleQuery } from '@switchboard/tenancy';
import type { VisitView } from '../repositories/visits.sql';

/** A technician closes out only a job they have a visit on; dispatchers (owners, admins, agents) any. */
export async function assertOnJob(queries: QueryBus, context: CommandContext, jobId: string, visits: readonly VisitView[]): Promise<void> {
  if (!context.actorId || visits.some((v) => v.technicianId === context.actorId)) return;
  if ((await queries.execute(new GetMemberRoleQuery(context.tenantId, context.actorId))) !== 'technician') return;
  throw new ProblemException({ status: 403, type: 'not-assigned', title: 'Forbidden', detail: `You have no visit on job ${jobId}; only its technicians or a dispatcher can close it out.` });
}
