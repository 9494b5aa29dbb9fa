import { platformContext } from '../platform.context';
import { defineContext, defineJob, type QueueDefinition } from './context';
import { ContextRegistry } from './context-registry';
import { defineSchedule, describeTiming, timingProblem } from './schedules';

const ReportsQueue: QueueDefinition = { name: 'reports', description: 'test' };
const RollupDay = defineJob<{ scope: string }>()(ReportsQueue, 'reports.rollup-day');
const Nightly = defineSchedule({ id: 'reports.nightly', job: RollupDay, pattern: '5 0 * * *', payload: { scope: 'all' }, description: 'test' });

describe('defineSchedule', () => {
  it('keeps a cron pattern in UTC unless a zone is given, or a fixed interval', () => {
    expect(Nightly.timing).toEqual({ pattern: '5 0 * * *', tz: 'UTC' });
    expect(Nightly.payload).toEqual({ scope: 'all' });
    const berlin = defineSchedule({ id: 'reports.berlin', job: RollupDay, pattern: '0 6 * * 1-5', tz: 'Europe/Berlin', payload: { scope: 'eu' }, description: 'test' });
    expect(describeTiming(berlin.timing)).toBe('0 6 * * 1-5 (Europe/Berlin)');
    const often = defineSchedule({ id: 'reports.often', job: RollupDay, every: 60_000, payload: { scope: 'all' }, description: 'test' });
    expect(describeTiming(often.timing)).toBe('every 60000 ms');
  });

  it('refuses bad ids, patterns, zones and intervals when the context is defined', () => {
    const base = { job: RollupDay, payload: { scope: 'all' }, description: 'test' };
    expect(() => defineSchedule({ ...base, id: 'Nightly', pattern: '5 0 * * *' })).toThrow(/must look like <context>.<name>/);
    expect(() => defineSchedule({ ...base, id: 'reports.x:y', pattern: '5 0 * * *' })).toThrow(/must look like/);
    expect(() => defineSchedule({ ...base, id: 'reports.bad', pattern: '61 0 * * *' })).toThrow(/reports.bad: invalid cron pattern "61 0 \* \* \*"/);
    expect(() => defineSchedule({ ...base, id: 'reports.bad', pattern: '5 0 * * *', tz: 'Mars/Olympus_Mons' })).toThrow(/unknown time zone "Mars\/Olympus_Mons"/);
    expect(() => defineSchedule({ ...base, id: 'reports.bad', every: 10 })).toThrow(/every must be a whole number of milliseconds ≥ 1000/);
    expect(timingProblem({ pattern: '*/2 * * * * *', tz: 'UTC' })).toBeNull();
  });

  it('types the payload by the job (checked by npm run typecheck)', () => {
    // @ts-expect-error a job with a payload needs one in its schedule
    expect(() => defineSchedule({ id: 'reports.untyped', job: RollupDay, every: 60_000, description: 'test' })).not.toThrow();
    // @ts-expect-error a pattern and an interval exclude each other
    expect(() => defineSchedule({ id: 'reports.both', job: RollupDay, every: 60_000, pattern: '5 0 * * *', payload: { scope: 'all' }, description: 'test' })).toBeDefined();
  });
});

describe('ContextRegistry and schedules', () => {
  it('lists every context’s schedules, the platform’s included', () => {
    const reports = defineContext({ name: 'reports', queues: [ReportsQueue], jobs: [RollupDay], schedules: [Nightly] });
    expect(new ContextRegistry([platformContext, reports]).schedules.map((s) => s.id)).toEqual(['platform.retention', 'reports.nightly']);
  });

  it('refuses a schedule of a job its context does not declare', () => {
    const reports = defineContext({ name: 'reports', queues: [ReportsQueue], schedules: [Nightly] });
    expect(() => new ContextRegistry([reports])).toThrow(/Schedule reports.nightly of reports runs reports\/reports.rollup-day, which is not among reports's jobs/);
    const owner = defineContext({ name: 'reports', queues: [ReportsQueue], jobs: [RollupDay] });
    const borrower = defineContext({ name: 'borrower', schedules: [Nightly] });
    expect(() => new ContextRegistry([owner, borrower])).toThrow(/which is not among borrower's jobs/);
  });

  it('refuses one schedule id twice', () => {
    const again = defineSchedule({ id: 'reports.nightly', job: RollupDay, every: 60_000, payload: { scope: 'x' }, description: 'test' });
    const reports = defineContext({ name: 'reports', queues: [ReportsQueue], jobs: [RollupDay], schedules: [Nightly, again] });
    expect(() => new ContextRegistry([reports])).toThrow(/Schedule reports.nightly is declared twice/);
  });
});
