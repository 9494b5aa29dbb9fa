import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { FieldServiceErasureRepository } from '../../repositories/erasure.repository';
import { JobDetailReader, type JobDetail } from '../../repositories/job-detail.reader';
import { ExportContactFieldServiceQuery, type ContactFieldServiceExport } from './export-contact-field-service.query';

@QueryHandler(ExportContactFieldServiceQuery)
export class ExportContactFieldServiceHandler implements IQueryHandler<ExportContactFieldServiceQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: FieldServiceErasureRepository,
    private readonly details: JobDetailReader,
  ) {}

  execute({ tenantId, contactId }: ExportContactFieldServiceQuery): Promise<ContactFieldServiceExport> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const jobs: JobDetail[] = [];
      for (const job of await this.repository.jobsOf(tx, contactId)) jobs.push(await this.details.read(tx, job));
      return { jobs, leads: await this.repository.leadsOf(tx, contactId), messages: await this.repository.messagesTo(tx, contactId) };
    });
  }
}
