import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { stale } from '../../domain/problems';
import { SYNONYM_SETS_MAX } from '../../domain/synonyms';
import { SynonymsChanged } from '../../knowledge-base.context';
import { SynonymsRepository } from '../../repositories/synonyms.repository';
import type { SynonymSetView } from '../../repositories/synonyms.sql';
import { SaveSynonymSetCommand } from './save-synonym-set.command';

@CommandHandler(SaveSynonymSetCommand)
export class SaveSynonymSetHandler implements ICommandHandler<SaveSynonymSetCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly synonyms: SynonymsRepository,
  ) {}

  execute({ context, synonymSetId, terms, expectedVersion }: SaveSynonymSetCommand): Promise<SynonymSetView> {
    return this.tx.run(context, async (tx) => {
      if (synonymSetId === null) {
        if ((await this.synonyms.count(tx)) >= SYNONYM_SETS_MAX) {
          throw new ProblemException({
            status: 409,
            type: 'synonym-sets-limit',
            title: 'Conflict',
            detail: `The knowledge base already has ${SYNONYM_SETS_MAX} synonym sets, the most it keeps; merge or delete some first.`,
          });
        }
        const created = await this.synonyms.insert(tx, terms);
        await tx.audit({ action: 'kb.synonyms_created', entityType: 'kb_synonyms', entityId: created.id, after: { terms } });
        await tx.emit(SynonymsChanged.of(created.id, { op: 'created', terms }));
        return created;
      }
      const before = await this.synonyms.find(tx, synonymSetId, true);
      if (!before) throw notFound('Synonym set', synonymSetId);
      if (expectedVersion !== null && before.version !== expectedVersion) throw stale('synonym set', expectedVersion, before.version);
      if (before.terms.length === terms.length && before.terms.every((t, i) => t === terms[i])) return before;
      const after = await this.synonyms.update(tx, synonymSetId, terms);
      await tx.audit({ action: 'kb.synonyms_updated', entityType: 'kb_synonyms', entityId: synonymSetId, before: { terms: before.terms }, after: { terms } });
      await tx.emit(SynonymsChanged.of(synonymSetId, { op: 'updated', terms }));
      return after;
    });
  }
}
