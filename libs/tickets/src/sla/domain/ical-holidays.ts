import { onFirstUse } from '@switchboard/platform';
import type ICAL from 'ical.js';
import { CalendarError, MAX_HOLIDAYS, type Holiday } from './business-calendar';

/** A feed's yearly rules on a weekday ("fourth Thursday of November") become dates for this many years ahead. */
const YEARS_AHEAD = 5;
/** One event covering more days than this (a "season") is refused rather than turned into hundreds of closed days. */
const MAX_EVENT_DAYS = 31;
const DAY = 86_400_000;

/** Loaded with the first calendar feed read, not at boot. */
const icalJs = onFirstUse<typeof ICAL>('ical.js');

const isoDate = (t: ICAL.Time) => `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;

/**
 * The holidays of an iCalendar feed (RFC 5545), as public-holiday feeds publish them: each
 * all-day event closes its dates (DTSTART to DTEND, exclusive); an event repeating every year on
 * the same month and day becomes one recurring holiday; other repeating events (a weekday rule)
 * become their dates from `now` for YEARS_AHEAD years. Timed events are ignored (a holiday closes a
 * whole day). Throws CalendarError('ics', …) for text that is not a calendar.
 */
export function holidaysFromICalendar(text: string, now = new Date()): Holiday[] {
  const ical = icalJs();
  let root: ICAL.Component;
  try {
    root = new ical.Component(ical.parse(text) as unknown[]);
  } catch (error) {
    throw new CalendarError('ics', `not an iCalendar feed (${error instanceof Error ? error.message.slice(0, 200) : 'unreadable'})`);
  }
  if (root.name !== 'vcalendar') throw new CalendarError('ics', `not an iCalendar feed: it starts with ${root.name.toUpperCase()}, not VCALENDAR`);
  const out: Holiday[] = [];
  const add = (h: Holiday) => {
    if (out.length >= MAX_HOLIDAYS) throw new CalendarError('ics', `the feed has more than ${MAX_HOLIDAYS} holidays`);
    out.push(h);
  };
  const until = ical.Time.fromJSDate(new Date(now.getTime() + YEARS_AHEAD * 366 * DAY), true);
  for (const vevent of root.getAllSubcomponents('vevent')) {
    const event = new ical.Event(vevent);
    if (!event.startDate || !event.startDate.isDate) continue;
    const name = (event.summary ?? '').trim().slice(0, 200) || 'Holiday';
    const days = event.endDate ? Math.max(1, Math.round((event.endDate.toUnixTime() - event.startDate.toUnixTime()) / 86_400)) : 1;
    if (days > MAX_EVENT_DAYS) throw new CalendarError('ics', `"${name}" covers ${days} days; a holiday event covers at most ${MAX_EVENT_DAYS}`);
    const rule = vevent.getFirstPropertyValue('rrule') as ICAL.Recur | null;
    const datesFrom = (start: ICAL.Time): string[] =>
      Array.from({ length: days }, (_, i) => {
        const d = start.clone();
        d.adjust(i, 0, 0, 0);
        return isoDate(d);
      });
    if (!rule) {
      for (const date of datesFrom(event.startDate)) add({ date, name, recurring: false });
      continue;
    }
    const sameDayEveryYear = rule.freq === 'YEARLY' && (rule.interval ?? 1) === 1 && !rule.count && !rule.until && Object.keys(rule.parts ?? {}).every((p) => p === 'BYMONTH' || p === 'BYMONTHDAY');
    if (sameDayEveryYear) {
      for (const date of datesFrom(event.startDate)) add({ date, name, recurring: true });
      continue;
    }
    const iterator = event.iterator();
    for (let next = iterator.next(), n = 0; next && next.compare(until) <= 0 && n < 500; next = iterator.next(), n++) {
      if (next.toJSDate().getTime() < now.getTime() - 366 * DAY) continue;
      for (const date of datesFrom(next)) add({ date, name, recurring: false });
    }
  }
  return out;
}
