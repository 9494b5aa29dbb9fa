import { visitInvite } from './calendar-invite';

const base = {
  visitId: '11111111-2222-4333-8444-555555555555',
  uidHost: 'acme.example',
  sequence: 2,
  start: new Date('2026-12-08T09:00:00.000Z'),
  end: new Date('2026-12-08T10:30:00.000Z'),
  title: 'Acme: Boiler service',
  description: 'Line one\nLine two, with; punctuation',
  location: '5 Main St, Springfield',
  organizer: { name: 'Acme "Heating"', email: 'no-reply@acme.example' },
  attendee: { name: 'Grete\r\nBCC: x', email: 'grete@example.com' },
  cancelled: false,
};

/** Unfolds RFC 5545 content lines (a CRLF followed by a space continues the line). */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');

describe('visitInvite', () => {
  it('is a REQUEST with a stable UID, the sequence, UTC times, the location and both parties', () => {
    const ics = unfold(visitInvite(base));
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain('METHOD:REQUEST\r\n');
    expect(ics).toContain('UID:visit-11111111-2222-4333-8444-555555555555@acme.example\r\n');
    expect(ics).toContain('SEQUENCE:2\r\n');
    expect(ics).toContain('DTSTART:20261208T090000Z\r\n');
    expect(ics).toContain('DTEND:20261208T103000Z\r\n');
    expect(ics).toContain('STATUS:CONFIRMED\r\n');
    expect(ics).toContain('LOCATION:5 Main St\\, Springfield\r\n');
    expect(ics).toContain('DESCRIPTION:Line one\\nLine two\\, with\\; punctuation\r\n');
    expect(ics).toContain('MAILTO:no-reply@acme.example');
    expect(ics).toContain('mailto:grete@example.com');
  });

  it('keeps names from breaking parameters or adding lines', () => {
    const ics = unfold(visitInvite(base));
    expect(ics).toContain('CN="Acme Heating"');
    expect(ics).toContain('CN="Grete BCC: x"');
    expect(ics.split('\r\n').some((line) => line.startsWith('BCC'))).toBe(false);
  });

  it('is a CANCEL for a called-off visit', () => {
    const ics = visitInvite({ ...base, cancelled: true, sequence: 3 });
    expect(ics).toContain('METHOD:CANCEL\r\n');
    expect(ics).toContain('STATUS:CANCELLED\r\n');
    expect(ics).toContain('SEQUENCE:3\r\n');
  });
});
