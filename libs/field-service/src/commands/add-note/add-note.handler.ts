import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertJobOpen } from '../../domain/status';
import { JobsRepository } from '../../repositories/jobs.repository';
import type { NoteView } from '../../repositories/jobs.sql';
import { AddNoteCommand } from './add-note.command';

@CommandHandler(AddNoteCommand)
export class AddNoteHandler implements ICommandHandler<AddNoteCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly jobs: JobsRepository,
  ) {}

  execute({ context, jobId, body }: AddNoteCommand): Promise<NoteView> {
    return this.tx.run(context, async (tx) => {
      const job = await this.jobs.findForUpdate(tx, jobId);
      if (!job) throw notFound('Job', jobId);
      assertJobOpen(jobId, job.status);
      const note = await this.jobs.addNote(tx, jobId, body);
      await this.jobs.touch(tx, jobId);
      await this.jobs.recordHistory(tx, jobId, null, 'note.added', { [`note:${note.id}`]: { to: body.length > 200 ? `${body.slice(0, 200)}…` : body } });
      await tx.audit({ action: 'field_service.note_added', entityType: 'field_service_job', entityId: jobId, after: { noteId: note.id } });
      return note;
    });
  }
}
