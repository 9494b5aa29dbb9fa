import { defineContext, defineEvent } from '@switchboard/platform';
import type { ContactView } from './repositories/contacts.sql';

/** A contact as events carry it: the view without its bookkeeping fields. */
export type ContactSnapshot = Omit<ContactView, 'createdAt' | 'updatedAt' | 'version'>;
export interface OrganizationSnapshot {
  name: string;
  domains: string[];
  notes: string | null;
}

export const ContactCreated = defineEvent<{ contact: ContactSnapshot }>()('customers.contact_created', { aggregate: 'contact' });
export const ContactUpdated = defineEvent<{ version: number; contact: ContactSnapshot }>()('customers.contact_updated', { aggregate: 'contact' });
export const ContactDeleted = defineEvent<Record<string, never>>()('customers.contact_deleted', { aggregate: 'contact' });
/** The source contact was folded into the target; other contexts move what they hold of the source. */
export const ContactsMerged = defineEvent<{ targetId: string; sourceId: string }>()('customers.contacts_merged', { aggregate: 'contact' });
/** A data-protection erasure was recorded; every context removes what it holds of the contact (ADR 0031). No personal data in the payload. */
export const ContactErasureRequested = defineEvent<{ erasureId: string; contactId: string }>()('customers.contact_erasure_requested', { aggregate: 'contact' });
export const OrganizationCreated = defineEvent<OrganizationSnapshot>()('customers.organization_created', { aggregate: 'organization' });
export const OrganizationUpdated = defineEvent<OrganizationSnapshot>()('customers.organization_updated', { aggregate: 'organization' });
export const OrganizationDeleted = defineEvent<Record<string, never>>()('customers.organization_deleted', { aggregate: 'organization' });

/** Contacts and organizations: the people both the help desk and field service serve. */
export const customersContext = defineContext({
  name: 'customers',
  events: [ContactCreated, ContactUpdated, ContactDeleted, ContactsMerged, ContactErasureRequested, OrganizationCreated, OrganizationUpdated, OrganizationDeleted],
});
