/**
 * In-memory fakes of the tickets repositories for handlers' unit tests (import them from
 * *.spec.ts files only). Each method is a jest.fn, so a spec can assert what was written or
 * override an answer; the data is typed by the views in repositories/*.sql.ts, never restated.
 */
import { jest } from '@jest/globals';
import type { AttachmentsRepository } from '../repositories/attachments.repository';
import type { AttachmentView } from '../repositories/attachments.sql';
import type { GroupsRepository } from '../repositories/groups.repository';
import type { GroupView } from '../repositories/groups.sql';
import type { MessagesRepository } from '../repositories/messages.repository';
import type { MessageView } from '../repositories/messages.sql';
import type { ParticipantsRepository } from '../repositories/participants.repository';
import type { SuggestionsRepository } from '../repositories/suggestions.repository';
import type { SuggestionView } from '../repositories/suggestions.sql';
import type { TicketsRepository } from '../repositories/tickets.repository';
import type { TicketView } from '../repositories/tickets.sql';
import type { TicketFieldView, TicketFormView } from '../repositories/custom-fields.sql';

export const TICKET_ID = '33333333-3333-4333-8333-333333333333';
export const REQUESTER_ID = '44444444-4444-4444-8444-444444444444';
export const AGENT_ID = '55555555-5555-4555-8555-555555555555';
export const NEW_ID = '66666666-6666-4666-8666-666666666666';
export const GROUP_ID = '88888888-8888-4888-8888-888888888888';
export const CREATED_AT = '2026-12-01T09:00:00.000Z';
export const NOW = '2026-12-06T12:00:00.000Z';

export const aTicket = (overrides: Partial<TicketView> = {}): TicketView => ({
  id: TICKET_ID,
  number: 1001,
  subject: 'The boiler makes a knocking noise',
  status: 'open',
  priority: 'normal',
  type: 'question',
  channel: 'api',
  requesterId: REQUESTER_ID,
  assigneeId: null,
  groupId: null,
  customStatusId: null,
  tags: [],
  dueAt: null,
  externalId: null,
  mergedIntoId: null,
  mergedFrom: [],
  formId: null,
  fields: {},
  slaBreachAt: null,
  slaState: null,
  createdAt: CREATED_AT,
  updatedAt: CREATED_AT,
  version: 3,
  ...overrides,
});

export const aGroup = (overrides: Partial<GroupView> = {}): GroupView => ({
  id: GROUP_ID,
  name: 'Billing',
  description: null,
  businessCalendarId: null,
  slaPolicyId: null,
  aiAssists: { summary: true, draft: true, triage: true },
  emailSignature: null,
  assignmentPolicy: null,
  memberCount: 0,
  deletedAt: null,
  createdAt: CREATED_AT,
  updatedAt: CREATED_AT,
  version: 1,
  ...overrides,
});

export const aMessage = (overrides: Partial<MessageView> = {}): MessageView => ({
  id: NEW_ID,
  ticketId: TICKET_ID,
  visibility: 'public',
  authorType: 'contact',
  authorId: REQUESTER_ID,
  body: 'It knocks every morning.',
  html: null,
  createdAt: CREATED_AT,
  ...overrides,
});

export const aSuggestion = (overrides: Partial<SuggestionView> = {}): SuggestionView => ({
  id: NEW_ID,
  ticketId: TICKET_ID,
  kind: 'draft',
  status: 'pending',
  output: { body: 'Please bleed the radiators.', grounding: 'none', passages: [] },
  confidence: null,
  provider: 'fake',
  model: 'fake-1',
  extractive: false,
  inputsHash: 'a'.repeat(64),
  ticketVersion: 3,
  requestedBy: { type: 'user', id: AGENT_ID },
  usageId: null,
  usageIds: [],
  requestId: 'req-1',
  decidedBy: null,
  decidedAt: null,
  reason: null,
  applied: null,
  createdAt: CREATED_AT,
  ...overrides,
});

const copy = <T>(value: T | undefined): T | undefined => (value === undefined ? undefined : structuredClone(value));

/** Tickets by id; writes change the stored ticket (and count its version up) as the database would. */
export function fakeTickets(...initial: TicketView[]) {
  const rows = new Map(initial.map((t) => [t.id, structuredClone(t)]));
  /** The tenant's custom fields and forms, for tests that set them up. */
  const fieldRules: TicketFieldView[] = [];
  const forms: TicketFormView[] = [];
  const bump = (id: string) => {
    const t = rows.get(id)!;
    t.version += 1;
    t.updatedAt = NOW;
    return t;
  };
  const fake = {
    rows,
    rules: fieldRules,
    forms,
    find: jest.fn<TicketsRepository['find']>(async (_tx, id) => copy(rows.get(id))),
    findForUpdate: jest.fn<TicketsRepository['findForUpdate']>(async (_tx, id) => copy(rows.get(id))),
    findFollowingMerges: jest.fn<TicketsRepository['findFollowingMerges']>(async (_tx, id) => copy(rows.get(id))),
    nextNumber: jest.fn<TicketsRepository['nextNumber']>(async () => 1001),
    insert: jest.fn<TicketsRepository['insert']>(async (_tx, row) => {
      const t = aTicket({ ...row, id: NEW_ID, status: 'new', createdAt: NOW, updatedAt: NOW, version: 1 });
      rows.set(t.id, t);
      return structuredClone(t);
    }),
    update: jest.fn<TicketsRepository['update']>(async (_tx, id, values) => {
      const t = bump(id);
      Object.assign(t, values);
      if (typeof values.dueAt === 'string') t.dueAt = new Date(values.dueAt).toISOString();
    }),
    touchAfterMessage: jest.fn<TicketsRepository['touchAfterMessage']>(async (_tx, id, status) => {
      bump(id).status = status;
    }),
    reassignRequester: jest.fn<TicketsRepository['reassignRequester']>(async (_tx, from, to) =>
      [...rows.values()].filter((t) => t.requesterId === from).map((t) => {
        t.requesterId = to;
        return { id: t.id, version: bump(t.id).version };
      }),
    ),
    list: jest.fn<TicketsRepository['list']>(async () => [...rows.values()]),
    listByField: jest.fn<TicketsRepository['listByField']>(async () => [...rows.values()].map((ticket) => ({ ticket, sortKey: null }))),
    touch: jest.fn<TicketsRepository['touch']>(async (_tx, id) => {
      bump(id);
    }),
    fieldRules: jest.fn<TicketsRepository['fieldRules']>(async () => structuredClone(fieldRules)),
    liveForm: jest.fn<TicketsRepository['liveForm']>(async (_tx, id) => copy(forms.find((f) => !f.deletedAt && (id === 'default' ? f.isDefault : f.id === id)))),
    writeFieldValue: jest.fn<TicketsRepository['writeFieldValue']>(async (_tx, ticketId, fieldId, value) => {
      const key = fieldRules.find((f) => f.id === fieldId)!.key;
      const t = rows.get(ticketId)!;
      if (value === null) delete t.fields[key];
      else t.fields[key] = value.column === 'value_number' ? Number(value.value) : value.value;
    }),
    changedSince: jest.fn<TicketsRepository['changedSince']>(async () => [...rows.values()]),
    knownTags: jest.fn<TicketsRepository['knownTags']>(async () => []),
    recordHistory: jest.fn<TicketsRepository['recordHistory']>(async () => undefined),
    history: jest.fn<TicketsRepository['history']>(async () => []),
  } satisfies Record<keyof TicketsRepository, unknown> & { rows: unknown; rules: unknown; forms: unknown };
  return fake;
}

export function fakeMessages(conversation: MessageView[] = []) {
  return {
    insert: jest.fn<MessagesRepository['insert']>(async (_tx, ticketId, m) => ({ ...m, id: NEW_ID, ticketId, createdAt: NOW })),
    insertDescription: jest.fn<MessagesRepository['insertDescription']>(async () => undefined),
    page: jest.fn<MessagesRepository['page']>(async () => conversation),
    firstAndRecent: jest.fn<MessagesRepository['firstAndRecent']>(async () => conversation),
    reassignContactAuthor: jest.fn<MessagesRepository['reassignContactAuthor']>(async () => undefined),
  } satisfies Record<keyof MessagesRepository, unknown>;
}

export function fakeAttachments() {
  return {
    insert: jest.fn<AttachmentsRepository['insert']>(
      async (_tx, ticketId, a): Promise<AttachmentView> => ({ id: NEW_ID, ticketId, filename: a.filename, contentType: a.contentType, size: a.size, sha256: a.sha256, uploadedBy: a.uploadedBy, createdAt: NOW }),
    ),
    storedBytesForUpdate: jest.fn<AttachmentsRepository['storedBytesForUpdate']>(async () => 0),
    ofTicket: jest.fn<AttachmentsRepository['ofTicket']>(async () => []),
    find: jest.fn<AttachmentsRepository['find']>(async () => undefined),
  } satisfies Record<keyof AttachmentsRepository, unknown>;
}

/** `add` answers a new row (changed) unless the participant is in `existing`. */
export function fakeParticipants(existing: { role: string; participantId: string }[] = []) {
  const has = (role: string, id: string) => existing.some((p) => p.role === role && p.participantId === id);
  return {
    add: jest.fn<ParticipantsRepository['add']>(async (_tx, _ticketId, role, id) => (has(role, id) ? undefined : new Date(NOW))),
    remove: jest.fn<ParticipantsRepository['remove']>(async (_tx, _ticketId, role, id) => (has(role, id) ? new Date(CREATED_AT) : undefined)),
    addedAt: jest.fn<ParticipantsRepository['addedAt']>(async (_tx, _ticketId, role, id) => (has(role, id) ? new Date(CREATED_AT) : undefined)),
    ofTicket: jest.fn<ParticipantsRepository['ofTicket']>(async () => []),
  } satisfies Record<keyof ParticipantsRepository, unknown>;
}

/** Suggestions by id; inserting a pending one marks the ticket's pending ones of its kind superseded. */
export function fakeSuggestions(...initial: SuggestionView[]) {
  const rows = new Map(initial.map((s) => [s.id, structuredClone(s)]));
  const of = (ticketId: string, id: string) => {
    const s = rows.get(id);
    return s && s.ticketId === ticketId ? structuredClone(s) : undefined;
  };
  return {
    rows,
    find: jest.fn<SuggestionsRepository['find']>(async (_tx, ticketId, id) => of(ticketId, id)),
    findForUpdate: jest.fn<SuggestionsRepository['findForUpdate']>(async (_tx, ticketId, id) => of(ticketId, id)),
    page: jest.fn<SuggestionsRepository['page']>(async () => [...rows.values()]),
    supersedePending: jest.fn<SuggestionsRepository['supersedePending']>(async (_tx, ticketId, kind) =>
      [...rows.values()].filter((s) => s.ticketId === ticketId && s.kind === kind && s.status === 'pending').map((s) => {
        s.status = 'superseded';
        return s.id;
      }),
    ),
    insert: jest.fn<SuggestionsRepository['insert']>(async (_tx, s) => {
      const view = aSuggestion({ ...s, id: `suggestion-${rows.size + 1}`, decidedBy: null, decidedAt: null, reason: null, applied: null, createdAt: NOW });
      rows.set(view.id, view);
      return structuredClone(view);
    }),
    decide: jest.fn<SuggestionsRepository['decide']>(async (_tx, _ticketId, id, d) => {
      const s = rows.get(id)!;
      Object.assign(s, { status: d.status, decidedBy: d.decidedBy, decidedAt: NOW, reason: d.reason, applied: d.applied });
      return structuredClone(s);
    }),
    counts: jest.fn<SuggestionsRepository['counts']>(async () => []),
  } satisfies Record<keyof SuggestionsRepository, unknown> & { rows: unknown };
}

/** Groups by id with their members (`members`: group id → user ids). */
export function fakeGroups(initial: GroupView[] = [], members: Record<string, string[]> = {}) {
  const rows = new Map(initial.map((g) => [g.id, structuredClone(g)]));
  const memberSets = new Map(Object.entries(members).map(([g, users]) => [g, new Set(users)]));
  const setOf = (groupId: string) => memberSets.get(groupId) ?? memberSets.set(groupId, new Set()).get(groupId)!;
  const live = (id: string, opts?: { live?: boolean }) => {
    const g = rows.get(id);
    return g && (!opts?.live || !g.deletedAt) ? structuredClone(g) : undefined;
  };
  return {
    rows,
    find: jest.fn<GroupsRepository['find']>(async (_tx, id, opts) => live(id, opts)),
    insert: jest.fn<GroupsRepository['insert']>(async (_tx, fields) => {
      const g = aGroup({ ...fields, id: NEW_ID, createdAt: NOW, updatedAt: NOW });
      rows.set(g.id, g);
      return structuredClone(g);
    }),
    update: jest.fn<GroupsRepository['update']>(async (_tx, id, fields) => {
      const g = rows.get(id)!;
      Object.assign(g, fields, { version: g.version + 1, updatedAt: NOW });
      return structuredClone(g);
    }),
    softDelete: jest.fn<GroupsRepository['softDelete']>(async (_tx, id) => {
      rows.get(id)!.deletedAt = NOW;
    }),
    list: jest.fn<GroupsRepository['list']>(async () => [...rows.values()].filter((g) => !g.deletedAt)),
    names: jest.fn<GroupsRepository['names']>(async () => [...rows.values()].filter((g) => !g.deletedAt).map((g) => ({ id: g.id, name: g.name, description: g.description }))),
    nameTaken: jest.fn<GroupsRepository['nameTaken']>(async (_tx, name, exceptId) =>
      [...rows.values()].some((g) => !g.deletedAt && g.id !== exceptId && g.name.toLowerCase() === name.toLowerCase()),
    ),
    unsolvedTickets: jest.fn<GroupsRepository['unsolvedTickets']>(async () => 0),
    addMember: jest.fn<GroupsRepository['addMember']>(async (_tx, groupId, userId) => {
      const set = setOf(groupId);
      return set.size !== set.add(userId).size;
    }),
    removeMember: jest.fn<GroupsRepository['removeMember']>(async (_tx, groupId, userId) => setOf(groupId).delete(userId)),
    removeFromAll: jest.fn<GroupsRepository['removeFromAll']>(async (_tx, userId) => [...memberSets].filter(([, set]) => set.delete(userId)).map(([g]) => g)),
    allMembers: jest.fn<GroupsRepository['allMembers']>(async () => new Map([...memberSets].map(([g, set]) => [g, [...set]]))),
    isMember: jest.fn<GroupsRepository['isMember']>(async (_tx, groupId, userId) => setOf(groupId).has(userId)),
    members: jest.fn<GroupsRepository['members']>(async (_tx, groupId) => [...setOf(groupId)].map((userId) => ({ userId, addedAt: NOW }))),
  } satisfies Record<keyof GroupsRepository, unknown> & { rows: unknown };
}
