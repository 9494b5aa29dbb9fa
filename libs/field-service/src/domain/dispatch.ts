import { unprocessable } from './problems';

/** Longest span one dispatch request covers. */
export const MAX_DISPATCH_DAYS = 31;

export function assertTimeZone(timeZone: string, field = 'tz'): void {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
  } catch {
    throw unprocessable(field, `${timeZone} is not an IANA time zone.`);
  }
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayIn(instant: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

/** The minutes a zone is ahead of UTC at an instant. */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((asUtc - instant.getTime()) / 60_000);
}

/** [start, end) of a calendar day (YYYY-MM-DD) in a time zone, as instants. */
export function dayBounds(date: string, timeZone: string): { from: Date; to: Date } {
  const [y, m, d] = date.split('-').map(Number);
  const at = (day: number) => {
    const guess = new Date(Date.UTC(y, m - 1, day));
    const first = new Date(guess.getTime() - offsetMinutes(guess, timeZone) * 60_000);
    return new Date(guess.getTime() - offsetMinutes(first, timeZone) * 60_000);
  };
  return { from: at(d), to: at(d + 1) };
}

export function assertDispatchRange(from: Date, to: Date): void {
  if (to.getTime() <= from.getTime()) throw unprocessable('to', 'to must be after from.');
  if (to.getTime() - from.getTime() > MAX_DISPATCH_DAYS * 86_400_000) throw unprocessable('to', `The dispatch board covers at most ${MAX_DISPATCH_DAYS} days per request.`);
}

interface Placed {
  technicianId: string | null;
  scheduledStart: string;
}

/** Visits (sorted by start) grouped by their start's day, then technician, unassigned first. */
export function groupByDayAndTechnician<V extends Placed>(visits: readonly V[], timeZone: string): { date: string; technicians: { technicianId: string | null; visits: V[] }[] }[] {
  const days = new Map<string, Map<string | null, V[]>>();
  for (const visit of visits) {
    const date = dayIn(visit.scheduledStart, timeZone);
    const byTech = days.get(date) ?? new Map<string | null, V[]>();
    days.set(date, byTech);
    const list = byTech.get(visit.technicianId) ?? [];
    byTech.set(visit.technicianId, list);
    list.push(visit);
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, byTech]) => ({
      date,
      technicians: [...byTech.entries()]
        .sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : a.localeCompare(b)))
        .map(([technicianId, list]) => ({ technicianId, visits: list })),
    }));
}
