import { CSV_COLUMNS, csvRecord, cursorSince, decodeCursor, encodeCursor, type ExportedTicketMetrics } from './metrics-export';

const row: ExportedTicketMetrics = {
  ticketId: '11111111-1111-4111-8111-111111111111',
  createdAt: '2026-12-01T09:00:00.000Z',
  status: 'solved',
  customStatusId: null,
  groupId: null,
  assigneeId: '22222222-2222-4222-8222-222222222222',
  channel: 'email',
  priority: 'normal',
  tags: ['boiler'],
  firstReplyAt: '2026-12-01T09:30:00.000Z',
  firstReplyMinutes: 30,
  firstReplyBusinessMinutes: null,
  nextReplies: [
    { requestedAt: '2026-12-01T10:00:00.000Z', repliedAt: '2026-12-01T10:10:00.000Z', minutes: 10, businessMinutes: null },
    { requestedAt: '2026-12-01T11:00:00.000Z', repliedAt: '2026-12-01T11:15:00.000Z', minutes: 15, businessMinutes: null },
  ],
  firstSolvedAt: '2026-12-01T12:00:00.000Z',
  solvedAt: '2026-12-01T12:00:00.000Z',
  fullResolutionMinutes: 180,
  fullResolutionBusinessMinutes: null,
  publicReplies: 3,
  internalNotes: 1,
  reopens: 0,
  assigneeChanges: 1,
  groupChanges: 0,
  agentTouches: 4,
  historyPosition: 9,
  computedAt: '2026-12-01T12:00:00.123456Z',
};

describe('ticket metrics export', () => {
  it('writes one value per column, next replies as their count and average', () => {
    const record = csvRecord(row);
    expect(record).toHaveLength(CSV_COLUMNS.length);
    expect(record[CSV_COLUMNS.indexOf('next_replies')]).toBe(2);
    expect(record[CSV_COLUMNS.indexOf('next_reply_minutes_avg')]).toBe(12.5);
    expect(record[CSV_COLUMNS.indexOf('computed_at')]).toBe('2026-12-01T12:00:00.123456Z');
    expect(csvRecord({ ...row, nextReplies: [] })[CSV_COLUMNS.indexOf('next_reply_minutes_avg')]).toBeNull();
  });

  it('gives back the cursor it encoded, to the microsecond', () => {
    const cursor = { after: row.computedAt, ticketId: row.ticketId };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(cursorSince('2026-12-01T12:00:00.5Z'))).toEqual({ after: '2026-12-01T12:00:00.5Z', ticketId: '00000000-0000-0000-0000-000000000000' });
  });

  it('refuses a cursor it did not give out (400)', () => {
    const refused = expect.objectContaining({ problem: expect.objectContaining({ status: 400 }) });
    for (const text of ['not-a-cursor', Buffer.from('{"a":"yesterday","t":"x"}').toString('base64url'), Buffer.from('[]').toString('base64url'), '']) {
      expect(() => decodeCursor(text)).toThrow(refused);
    }
  });
});
