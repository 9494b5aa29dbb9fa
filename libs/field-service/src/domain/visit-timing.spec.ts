import { visitTiming } from './visit-timing';

const now = new Date('2026-12-01T08:00:00Z');
const refused = (work: () => unknown, field: string) =>
  expect(work).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 422, errors: [expect.objectContaining({ field })] }) }));

describe('visit timing', () => {
  it('ends duration minutes after its start', () => {
    const t = visitTiming({ scheduledStart: '2026-12-01T09:00:00Z', durationMinutes: 90 }, now);
    expect(t.end.toISOString()).toBe('2026-12-01T10:30:00.000Z');
    expect(t.arrivalWindowStart).toBeNull();
  });

  it('lasts 1 minute to 12 hours', () => {
    expect(() => visitTiming({ scheduledStart: '2026-12-01T09:00:00Z', durationMinutes: 1 }, now)).not.toThrow();
    expect(() => visitTiming({ scheduledStart: '2026-12-01T09:00:00Z', durationMinutes: 720 }, now)).not.toThrow();
    refused(() => visitTiming({ scheduledStart: '2026-12-01T09:00:00Z', durationMinutes: 0 }, now), 'durationMinutes');
    refused(() => visitTiming({ scheduledStart: '2026-12-01T09:00:00Z', durationMinutes: 721 }, now), 'durationMinutes');
    refused(() => visitTiming({ scheduledStart: '2026-12-01T09:00:00Z', durationMinutes: 2.5 }, now), 'durationMinutes');
  });

  it('is not in the past', () => {
    refused(() => visitTiming({ scheduledStart: '2026-12-01T07:59:59Z', durationMinutes: 30 }, now), 'scheduledStart');
    expect(() => visitTiming({ scheduledStart: '2026-12-01T08:00:00Z', durationMinutes: 30 }, now)).not.toThrow();
  });

  it('has a whole arrival window around its start, or none', () => {
    const ok = visitTiming({ scheduledStart: '2026-12-01T09:00:00Z', durationMinutes: 30, arrivalWindowStart: '2026-12-01T08:30:00Z', arrivalWindowEnd: '2026-12-01T10:30:00Z' }, now);
    expect(ok.arrivalWindowEnd?.toISOString()).toBe('2026-12-01T10:30:00.000Z');
    refused(() => visitTiming({ scheduledStart: '2026-12-01T09:00:00Z', durationMinutes: 30, arrivalWindowStart: '2026-12-01T08:30:00Z' }, now), 'arrivalWindowEnd');
    refused(() => visitTiming({ scheduledStart: '2026-12-01T09:00:00Z', durationMinutes: 30, arrivalWindowStart: '2026-12-01T10:00:00Z', arrivalWindowEnd: '2026-12-01T09:30:00Z' }, now), 'arrivalWindowEnd');
    refused(() => visitTiming({ scheduledStart: '2026-12-01T09:00:00Z', durationMinutes: 30, arrivalWindowStart: '2026-12-01T09:30:00Z', arrivalWindowEnd: '2026-12-01T10:30:00Z' }, now), 'scheduledStart');
    refused(() => visitTiming({ scheduledStart: '2026-12-01T09:00:00Z', durationMinutes: 30, arrivalWindowStart: '2026-12-01T08:30:00Z', arrivalWindowEnd: '2026-12-02T08:30:00Z' }, now), 'arrivalWindowEnd');
  });
});
