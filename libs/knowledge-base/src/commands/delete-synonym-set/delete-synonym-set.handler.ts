import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { SynonymsChanged } from '../../knowledge-base.context';
import { SynonymsRepository } from '../../repositories/synonyms.repository';
import { DeleteSynonymSetCommand } from './delete-synonym-set.command';

@CommandHandler(DeleteSynonymSetCommand)
export class DeleteSynonymSetHandler implements ICommandHandler<DeleteSynonymSetCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly synonyms: SynonymsRepository,
  ) {}

  execute({ context, synonymSetId }: DeleteSynonymSetCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const deleted = await this.synonyms.delete(tx, synonymSetId);
      if (!deleted) throw notFound('Synonym set', synonymSetId);
      await tx.audit({ action: 'kb.synonyms_deleted', entityType: 'kb_synonyms', entityId: synonymSetId, before: { terms: deleted.terms } });
      await tx.emit(SynonymsChanged.of(synonymSetId, { op: 'deleted', terms: deleted.terms }));
    });
  }
}
