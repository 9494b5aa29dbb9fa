/**
 * What a customer wrote, without the history their client quoted and without their signature:
 * Gmail's and Apple Mail's "On … wrote:", Outlook's "From: … Sent:" header block and
 * "-----Original Message-----", German/French/Spanish variants, `>` quotes, the `-- ` signature
 * delimiter and mobile footers. A forwarded message keeps what was forwarded (that is the point of
 * forwarding). When stripping would leave nothing, the original text is kept.
 */
const CUT_LINES: RegExp[] = [
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^-{2,}\s*Ursprüngliche Nachricht\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook on the web draws a rule above the quoted header block
  /^On .{1,300}wrote:\s*$/i,
  /^Am .{1,300}schrieb .{0,200}:\s*$/i,
  /^Le .{1,300}a écrit\s*:\s*$/i,
  /^El .{1,300}escribió\s*:\s*$/i,
  /^-- $/, // RFC 3676 signature delimiter
  /^--$/,
  /^Sent from my (iPhone|iPad|Android|mobile|Galaxy).*$/i,
  /^Von meinem (iPhone|iPad|Smartphone).*gesendet\s*$/i,
  /^Get Outlook for (iOS|Android).*$/i,
];

const OUTLOOK_HEADER = /^\*?(From|Von|De)\s*:\*?\s.+$/i;
const OUTLOOK_NEXT = /^\*?(Sent|Gesendet|Envoyé|Date|Datum)\s*:\*?\s.+$/i;
const FORWARDED = /^-{2,}\s*(Forwarded message|Weitergeleitete Nachricht|Message transféré)\s*-{2,}\s*$|^Begin forwarded message:\s*$/i;

export function stripQuotedText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (FORWARDED.test(trimmed)) break; // keep the forwarded message whole
    // "On Mon, 1 Dec 2026 at 10:00, Pat <pat@x> wrote:" is sometimes wrapped over two lines.
    const joined = `${trimmed} ${(lines[i + 1] ?? '').trim()}`;
    if (CUT_LINES.some((r) => r.test(line) || r.test(trimmed)) || (/^On .{1,200}$/i.test(trimmed) && /wrote:\s*$/i.test(joined) && !/wrote:/i.test(trimmed))) {
      end = i;
      break;
    }
    if (OUTLOOK_HEADER.test(trimmed) && OUTLOOK_NEXT.test((lines[i + 1] ?? '').trim())) {
      end = i;
      break;
    }
    if (trimmed.startsWith('>') && lines.slice(i).every((l) => l.trim() === '' || l.trim().startsWith('>'))) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).join('\n').replace(/\s+$/, '').replace(/^\s*\n/, '');
  return kept.trim() ? kept : text.trim();
}
