import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { loadContact, type ContactView } from '../../repositories/contacts.sql';
import { ContactsMerged } from '../../customers.context';
import { MergeContactsCommand } from './merge-contacts.command';

/**
 * The source's emails, phones, chat ids and addresses move to the target (fields the target lacks are
 * filled from the source), the source is soft-deleted with a pointer to the target, and a
 * `contacts_merged` event lets other contexts (tickets) move what they hold, idempotently.
 */
@CommandHandler(MergeContactsCommand)
export class MergeContactsHandler implements ICommandHandler<MergeContactsCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, targetId, sourceId }: MergeContactsCommand): Promise<ContactView> {
    if (targetId === sourceId) {
      throw new ProblemException({ status: 422, type: 'merge-into-self', title: 'Unprocessable Content', detail: 'A contact cannot be merged into itself.', errors: [{ field: 'sourceId', message: 'must differ from the target' }] });
    }
    return this.tx.run(context, async (tx) => {
      const m = tx.manager;
      // Lock both in id order, so two opposite merges cannot deadlock.
      const locked = new Map<string, ContactView | undefined>();
      for (const id of [targetId, sourceId].sort()) locked.set(id, await loadContact(m, context.tenantId, id, true));
      const target = locked.get(targetId);
      const source = locked.get(sourceId);
      if (!target) throw notFound('Contact', targetId);
      if (!source) throw notFound('Contact', sourceId);
      await m.query(`UPDATE contact_identities SET contact_id = $2 WHERE tenant_id = $1 AND contact_id = $3`, [context.tenantId, targetId, sourceId]);
      await m.query(`UPDATE contact_addresses SET contact_id = $2 WHERE tenant_id = $1 AND contact_id = $3`, [context.tenantId, targetId, sourceId]);
      await m.query(
        `UPDATE contacts t SET organization_id = coalesce(t.organization_id, s.organization_id), locale = coalesce(t.locale, s.locale),
                timezone = coalesce(t.timezone, s.timezone), notes = coalesce(t.notes, s.notes), updated_at = now(), version = t.version + 1
           FROM contacts s WHERE t.tenant_id = $1 AND t.id = $2 AND s.tenant_id = $1 AND s.id = $3`,
        [context.tenantId, targetId, sourceId],
      );
      await m.query(
        `UPDATE contacts SET deleted_at = now(), deleted_identities = jsonb_build_object('mergedInto', $3::text), updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2`,
        [context.tenantId, sourceId, targetId],
      );
      const merged = (await loadContact(m, context.tenantId, targetId))!;
      await tx.audit({ action: 'contact.merged', entityType: 'contact', entityId: targetId, before: { emails: target.emails, phones: target.phones }, after: { emails: merged.emails, phones: merged.phones, mergedFrom: sourceId } });
      await tx.emit(ContactsMerged.of(targetId, { targetId, sourceId }));
      return merged;
    });
  }
}
