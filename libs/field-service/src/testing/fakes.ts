import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import type { JobDetailReader } from '../repositories/job-detail.reader';
import type { JobsRepository } from '../repositories/jobs.repository';
import type { JobView } from '../repositories/jobs.sql';
import type { LineItemsRepository } from '../repositories/line-items.repository';
import type { ServicesRepository } from '../repositories/services.repository';
import type { ServiceView } from '../repositories/services.sql';
import type { UnavailabilityView, WorkingHoursView } from '../repositories/availability.sql';
import type { VisitsRepository } from '../repositories/visits.repository';
import type { VisitView } from '../repositories/visits.sql';

export const TECH = '33333333-3333-4333-8333-333333333333';
export const NOW = new Date('2026-12-01T08:00:00.000Z');

export const aJob = (over: Partial<JobView> = {}): JobView => ({
  id: 'j1',
  contactId: 'c1',
  addressId: 'a1',
  ticketId: null,
  title: 'Boiler service',
  description: null,
  status: 'scheduled',
  currency: null,
  completedAt: null,
  cancelledAt: null,
  createdAt: '2026-11-30T00:00:00.000Z',
  updatedAt: '2026-11-30T00:00:00.000Z',
  version: 1,
  ...over,
});

export const aVisit = (over: Partial<VisitView> = {}): VisitView => ({
  id: 'v1',
  jobId: 'j1',
  technicianId: TECH,
  status: 'scheduled',
  scheduledStart: '2026-12-01T09:00:00.000Z',
  scheduledEnd: '2026-12-01T10:00:00.000Z',
  durationMinutes: 60,
  arrivalWindowStart: null,
  arrivalWindowEnd: null,
  clockedInAt: null,
  clockedOutAt: null,
  actualMinutes: null,
  createdAt: '2026-11-30T00:00:00.000Z',
  updatedAt: '2026-11-30T00:00:00.000Z',
  version: 1,
  ...over,
});

export const aService = (over: Partial<ServiceView> = {}): ServiceView => ({
  id: 's1',
  name: 'Boiler check',
  description: null,
  pricingType: 'fixed',
  unitPrice: 8900,
  unitLabel: null,
  currency: 'EUR',
  taxRateBp: 1900,
  defaultDurationMinutes: 60,
  active: true,
  deletedAt: null,
  createdAt: '2026-11-30T00:00:00.000Z',
  updatedAt: '2026-11-30T00:00:00.000Z',
  version: 1,
  ...over,
});

/** Repositories as jest.fn objects over one job and its visits; writes return what they would have written. */
export function fakeRepositories(job: JobView | undefined, visits: VisitView[] = [], opts: { conflicting?: string | null; service?: ServiceView; hours?: WorkingHoursView; block?: UnavailabilityView } = {}) {
  const jobs = {
    find: jest.fn(async () => job),
    findForUpdate: jest.fn(async () => job),
    insert: jest.fn(async (_tx: unknown, fields: Partial<JobView>) => aJob(fields)),
    setStatus: jest.fn(async (_tx: unknown, _id: string, status: JobView['status']) => ({ ...job!, status, completedAt: status === 'completed' ? NOW.toISOString() : null, cancelledAt: status === 'cancelled' ? NOW.toISOString() : null, version: job!.version + 1 })),
    setCurrency: jest.fn(async () => undefined),
    touch: jest.fn(async () => undefined),
    recordHistory: jest.fn(async () => undefined),
    addNote: jest.fn(async () => undefined),
  };
  const visitRepo = {
    find: jest.fn(async (_tx: unknown, id: string) => visits.find((v) => v.id === id)),
    ofJob: jest.fn(async () => visits),
    insert: jest.fn(async (_tx: unknown, jobId: string, technicianId: string | null, slot: { start: Date; end: Date }) =>
      aVisit({ id: 'v-new', jobId, technicianId, scheduledStart: slot.start.toISOString(), scheduledEnd: slot.end.toISOString() }),
    ),
    reschedule: jest.fn(async (_tx: unknown, id: string, slot: { start: Date; end: Date }) => ({ ...visits.find((v) => v.id === id)!, scheduledStart: slot.start.toISOString(), scheduledEnd: slot.end.toISOString() })),
    assign: jest.fn(async (_tx: unknown, id: string, technicianId: string | null) => ({ ...visits.find((v) => v.id === id)!, technicianId })),
    setStatus: jest.fn(async (_tx: unknown, id: string, status: VisitView['status']) => ({
      ...visits.find((v) => v.id === id)!,
      status,
      clockedInAt: status === 'in_progress' ? NOW.toISOString() : (visits.find((v) => v.id === id)!.clockedInAt ?? null),
      clockedOutAt: status === 'completed' ? NOW.toISOString() : null,
    })),
    cancelScheduled: jest.fn(async () =>
      visits.filter((v) => v.status === 'scheduled').map((v) => ({ id: v.id, technicianId: v.technicianId, scheduledStart: v.scheduledStart, scheduledEnd: v.scheduledEnd })),
    ),
    conflicting: jest.fn(async () => opts.conflicting ?? null),
    availabilityFor: jest.fn(async () => ({ hours: opts.hours, block: opts.block })),
  };
  const lineItems = { count: jest.fn(async () => 0), insert: jest.fn(async (_tx: unknown, jobId: string, line: object) => ({ id: 'l1', jobId, quantity: 1, ...line })), ofJob: jest.fn(async () => []) };
  const services = { find: jest.fn(async () => opts.service) };
  const detail = { read: jest.fn(async (_tx: unknown, j: JobView) => ({ ...j, visits, lineItems: [], notes: [], totals: { currency: j.currency, subtotal: 0, tax: 0, total: 0 } })) };
  return {
    jobs,
    visits: visitRepo,
    lineItems,
    services,
    detail,
    as: {
      jobs: jobs as unknown as JobsRepository,
      visits: visitRepo as unknown as VisitsRepository,
      lineItems: lineItems as unknown as LineItemsRepository,
      services: services as unknown as ServicesRepository,
      detail: detail as unknown as JobDetailReader,
    },
  };
}

/** A QueryBus answering the other contexts' look-ups: roles by user id, addresses by id (their contact). */
export function fakeQueries(roles: Record<string, string> = { [TECH]: 'technician' }, addresses: Record<string, string> = { a1: 'c1' }) {
  const execute = jest.fn(async (query: { constructor: { name: string }; userId?: string; addressId?: string; contactId?: string }) => {
    switch (query.constructor.name) {
      case 'GetMemberRoleQuery':
        return roles[query.userId!] ?? null;
      case 'GetTenantQuery':
        return { id: 'tenant', timezone: 'Europe/Berlin' };
      case 'GetAddressQuery':
        if (!addresses[query.addressId!]) throw Object.assign(new Error('not found'), { problem: { status: 404 } });
        return { id: query.addressId, contactId: addresses[query.addressId!] };
      default:
        return { id: query.contactId ?? 'x' };
    }
  });
  return { execute, bus: { execute } as unknown as QueryBus };
}
