import type { QueryBus } from '@nestjs/cqrs';
import type { QueueRegistry } from '@switchboard/platform';
import { ListTenantsQuery } from '@switchboard/tenancy';
import { SendWeeklyDigest } from '../digest/digest.definitions';
import { QueueWeeklyDigestsJob } from './queue-weekly-digests.job';

const tenant = (id: string, timezone: string) => ({ id, timezone });

describe('QueueWeeklyDigestsJob', () => {
  const pages = [
    { data: [tenant('t-berlin', 'Europe/Berlin'), tenant('t-la', 'America/Los_Angeles')], nextCursor: 'next' },
    { data: [tenant('t-tokyo', 'Asia/Tokyo')], nextCursor: null },
  ];

  function setup() {
    const asked: ListTenantsQuery[] = [];
    const added: { name: string; payload: unknown; jobId: unknown }[] = [];
    const queries = { execute: async (q: ListTenantsQuery) => (asked.push(q), pages[asked.length - 1]) } as unknown as QueryBus;
    const queues = { add: async (def: typeof SendWeeklyDigest, payload: unknown, options: { jobId?: string }) => void added.push({ name: def.name, payload, jobId: options.jobId }) } as unknown as QueueRegistry;
    return { job: new QueueWeeklyDigestsJob(queries, queues), asked, added };
  }

  it('queues last week’s digest for every active tenant whose Monday 07:00 has passed, one job id per tenant and week', async () => {
    const { job, asked, added } = setup();
    // Monday 7 Dec 2026, 09:05 UTC: 10:05 in Berlin, 18:05 in Tokyo, still 01:05 in Los Angeles.
    expect(await job.queueDue(new Date('2026-12-07T09:05:00Z'))).toBe(2);
    expect(asked.map((q) => [q.status, q.page.cursor])).toEqual([['active', undefined], ['active', 'next']]);
    expect(added).toEqual([
      { name: SendWeeklyDigest.name, payload: { tenantId: 't-berlin', weekStart: '2026-11-30' }, jobId: 'weekly-digest:t-berlin:2026-11-30' },
      { name: SendWeeklyDigest.name, payload: { tenantId: 't-tokyo', weekStart: '2026-11-30' }, jobId: 'weekly-digest:t-tokyo:2026-11-30' },
    ]);
  });

  it('queues nothing on other days', async () => {
    const { job, added } = setup();
    expect(await job.queueDue(new Date('2026-12-08T12:00:00Z'))).toBe(0);
    expect(added).toEqual([]);
  });
});
