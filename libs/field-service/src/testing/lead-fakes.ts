import { jest } from '@jest/globals';
import type { LeadsRepository } from '../repositories/leads.repository';
import type { LeadView } from '../repositories/leads.sql';
import type { ServicesRepository } from '../repositories/services.repository';
import { aService } from './fakes';

export const aLead = (over: Partial<LeadView> = {}): LeadView => ({
  id: 'l1',
  status: 'new',
  notes: 'Ada called about her boiler.',
  fields: {},
  serviceId: null,
  suggestions: null,
  extraction: null,
  contactId: null,
  addressId: null,
  jobId: null,
  createdBy: null,
  createdAt: '2026-12-01T08:00:00.000Z',
  updatedAt: '2026-12-01T08:00:00.000Z',
  convertedBy: null,
  convertedAt: null,
  dismissedReason: null,
  version: 1,
  ...over,
});

/** In-memory leads (null: the lead does not exist) and a one-service catalog (`s1`), recording what the handlers wrote. */
export function fakeLeads(lead: LeadView | null = aLead()) {
  const leads = {
    find: jest.fn(async () => lead ?? undefined),
    insert: jest.fn(async (_tx: unknown, l: { notes: string; fields: object; serviceId: string | null }) => aLead({ notes: l.notes, fields: l.fields, serviceId: l.serviceId })),
    saveSuggestions: jest.fn(async (_tx: unknown, _id: string, suggestions: LeadView['suggestions'], extraction: LeadView['extraction']) => ({ ...lead!, suggestions, extraction })),
    convert: jest.fn(async (_tx: unknown, _id: string, links: Partial<LeadView>) => ({ ...lead!, ...links, status: 'converted' as const })),
    dismiss: jest.fn(async (_tx: unknown, _id: string, reason: string | null) => ({ ...lead!, status: 'dismissed' as const, dismissedReason: reason })),
    list: jest.fn(async () => []),
  };
  const services = {
    find: jest.fn(async (_tx: unknown, id: string) => (id === 's1' ? aService() : undefined)),
    list: jest.fn(async () => [aService()]),
  };
  return { leads, services, as: { leads: leads as unknown as LeadsRepository, services: services as unknown as ServicesRepository } };
}
