import { onFirstUse } from '@switchboard/platform';
import type * as Ics from 'ics';

const ics = onFirstUse<typeof Ics>('ics');

export interface VisitInvite {
  visitId: string;
  /** The tenant's domain-free host for UIDs (the same visit keeps one UID across its updates). */
  uidHost: string;
  /** Increases with each notice about the visit, so calendars apply the newest. */
  sequence: number;
  start: Date;
  end: Date;
  title: string;
  description: string;
  location: string | null;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
  cancelled: boolean;
}

/**
 * An iCalendar (RFC 5545) invitation for a visit: METHOD:REQUEST for a booking or a move (the
 * customer's calendar adds or updates the event with the same UID), METHOD:CANCEL when it is called off.
 */
export function visitInvite(invite: VisitInvite): string {
  const { error, value } = ics().createEvent({
    productId: 'switchboard/field-service',
    method: invite.cancelled ? 'CANCEL' : 'REQUEST',
    uid: `visit-${invite.visitId}@${invite.uidHost}`,
    sequence: invite.sequence,
    start: invite.start.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: invite.end.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: invite.title,
    description: invite.description,
    ...(invite.location ? { location: invite.location } : {}),
    status: invite.cancelled ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: 'BUSY',
    organizer: { name: paramText(invite.organizer.name), email: invite.organizer.email },
    attendees: [{ name: paramText(invite.attendee.name), email: invite.attendee.email, rsvp: false, partstat: 'ACCEPTED', role: 'REQ-PARTICIPANT' }],
  });
  if (error || !value) throw error ?? new Error('The calendar invitation could not be built');
  return value;
}

/** A parameter value (CN) may be quoted but cannot contain a double quote or a line break (RFC 5545 §3.1). */
function paramText(name: string): string {
  return name.replace(/["\p{Cc}]+/gu, ' ').replace(/\s+/g, ' ').trim() || '-';
}
