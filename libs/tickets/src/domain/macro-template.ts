/**
 * The placeholders a macro's reply or note may use: `{{ticket.number}}`, `{{ticket.requester.name}}`…
 * Logic-less on purpose (no sections, no helpers, nothing executed): a macro is written by an admin
 * and read by customers, so it can only insert known values. Unknown placeholders are refused when
 * the macro is saved (`unknownPlaceholders`); rendering escapes values for HTML (`renderHtml`) and
 * inserts them as they are into the plain-text body (`renderText`), which is never read as HTML.
 */
export const MACRO_PLACEHOLDERS = [
  'ticket.number',
  'ticket.subject',
  'ticket.status',
  'ticket.priority',
  'ticket.type',
  'ticket.requester.name',
  'ticket.requester.email',
  'agent.name',
  'agent.email',
] as const;
export type MacroPlaceholder = (typeof MACRO_PLACEHOLDERS)[number];
export type PlaceholderValues = Readonly<Record<MacroPlaceholder, string>>;

/** The values the placeholders take for a ticket, its requester (if read) and the agent (or the system) acting. */
export function placeholderValues(
  ticket: { number: number; subject: string; status: string; priority: string; type: string },
  requester: { name: string; emails: readonly string[] } | undefined,
  agent: { name: string; email: string },
): PlaceholderValues {
  return {
    'ticket.number': String(ticket.number),
    'ticket.subject': ticket.subject,
    'ticket.status': ticket.status,
    'ticket.priority': ticket.priority,
    'ticket.type': ticket.type,
    'ticket.requester.name': requester?.name ?? '',
    'ticket.requester.email': requester?.emails[0] ?? '',
    'agent.name': agent.name,
    'agent.email': agent.email,
  };
}

const TAG = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Every `{{…}}` in the template that names no known placeholder (as written, trimmed), first seen first. */
export function unknownPlaceholders(template: string): string[] {
  const unknown: string[] = [];
  for (const m of template.matchAll(TAG)) {
    const name = m[1]!;
    if (!(MACRO_PLACEHOLDERS as readonly string[]).includes(name) && !unknown.includes(name)) unknown.push(name);
  }
  // A `{{` never closed would reach customers as written: refuse it like an unknown placeholder.
  const stray = template.replace(TAG, '');
  if (stray.includes('{{') || stray.includes('}}')) unknown.push(stray.includes('{{') ? '{{' : '}}');
  return unknown;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

function render(template: string, values: PlaceholderValues, escape: (s: string) => string): string {
  let out = '';
  let at = 0;
  for (const m of template.matchAll(TAG)) {
    out += escape(template.slice(at, m.index));
    const name = m[1]!;
    out += Object.hasOwn(values, name) ? escape(values[name as MacroPlaceholder]) : escape(m[0]);
    at = m.index + m[0].length;
  }
  return out + escape(template.slice(at));
}

/** The plain-text body: values inserted as they are. */
export const renderText = (template: string, values: PlaceholderValues) => render(template, values, (s) => s);

/** The HTML body: the template's own text and every value escaped, line breaks kept as `<br>`. */
export const renderHtml = (template: string, values: PlaceholderValues) => render(template, values, escapeHtml).replace(/\r?\n/g, '<br>');
