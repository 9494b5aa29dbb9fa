/**
 * Message templates (ADR 0039): per tenant, key and locale, with shipped defaults. A template is a
 * subject (for mail) and a body with `{{placeholder}}`s; each key names the placeholders it may
 * use, checked when a tenant saves one. UI strings (`ui.*`) are single-line bodies without
 * placeholders, served to the help center and the widget by the public i18n endpoint.
 */

export interface TemplateKey {
  key: string;
  description: string;
  placeholders: readonly string[];
  /** Sample values for the preview. */
  sample: Record<string, string>;
  /** Whether the template has a subject (mail). */
  subject: boolean;
}

export const TEMPLATE_KEYS: readonly TemplateKey[] = [
  {
    key: 'contact_form.confirmation',
    description: 'The mail confirming a contact-form submission, with the ticket’s number',
    placeholders: ['ticket_number', 'name', 'subject', 'tenant_name'],
    sample: { ticket_number: '1042', name: 'Pat Example', subject: 'My heating is broken', tenant_name: 'Acme' },
    subject: true,
  },
  {
    key: 'chat.auto_reply',
    description: 'The first answer on a new chat conversation (Telegram, WhatsApp); sent only once the tenant has saved one (in any locale)',
    placeholders: ['ticket_number', 'name', 'tenant_name'],
    sample: { ticket_number: '1042', name: 'Pat', tenant_name: 'Acme' },
    subject: false,
  },
];

export const UI_STRING_KEYS = [
  'ui.contact_form.title',
  'ui.contact_form.name',
  'ui.contact_form.email',
  'ui.contact_form.subject',
  'ui.contact_form.message',
  'ui.contact_form.phone',
  'ui.contact_form.company',
  'ui.contact_form.submit',
  'ui.contact_form.thanks',
  'ui.widget.title',
  'ui.widget.placeholder',
  'ui.widget.send',
  'ui.help_center.search',
  'ui.help_center.no_results',
] as const;
export type UiStringKey = (typeof UI_STRING_KEYS)[number];

type Shipped = Record<string, { subject?: string; body: string }>;

/** Shipped defaults by key, then locale; `en` always exists. */
const SHIPPED: Record<string, Shipped> = {
  'contact_form.confirmation': {
    en: { subject: 'We received your message (ticket #{{ticket_number}})', body: 'Hello {{name}},\n\nthank you for contacting {{tenant_name}}. Your message "{{subject}}" is ticket #{{ticket_number}}; reply to this mail to add to it.\n\n{{tenant_name}}' },
    pt: { subject: 'Recebemos sua mensagem (chamado #{{ticket_number}})', body: 'Olá {{name}},\n\nobrigado por entrar em contato com {{tenant_name}}. Sua mensagem "{{subject}}" é o chamado #{{ticket_number}}; responda a este e-mail para complementá-lo.\n\n{{tenant_name}}' },
    de: { subject: 'Wir haben Ihre Nachricht erhalten (Ticket #{{ticket_number}})', body: 'Hallo {{name}},\n\ndanke für Ihre Nachricht an {{tenant_name}}. „{{subject}}“ ist Ticket #{{ticket_number}}; antworten Sie auf diese Mail, um etwas zu ergänzen.\n\n{{tenant_name}}' },
    es: { subject: 'Hemos recibido su mensaje (ticket #{{ticket_number}})', body: 'Hola {{name}}:\n\ngracias por escribir a {{tenant_name}}. Su mensaje «{{subject}}» es el ticket #{{ticket_number}}; responda a este correo para añadir algo.\n\n{{tenant_name}}' },
  },
  'chat.auto_reply': {
    en: { body: 'Thanks {{name}}, we got your message (ticket #{{ticket_number}}) and will answer here soon.' },
    pt: { body: 'Obrigado {{name}}, recebemos sua mensagem (chamado #{{ticket_number}}) e responderemos aqui em breve.' },
    de: { body: 'Danke {{name}}, wir haben Ihre Nachricht erhalten (Ticket #{{ticket_number}}) und antworten hier bald.' },
    es: { body: 'Gracias {{name}}, hemos recibido su mensaje (ticket #{{ticket_number}}) y responderemos aquí pronto.' },
  },
};

const UI: Record<string, Record<UiStringKey, string>> = {
  en: {
    'ui.contact_form.title': 'Contact us',
    'ui.contact_form.name': 'Your name',
    'ui.contact_form.email': 'Email',
    'ui.contact_form.subject': 'Subject',
    'ui.contact_form.message': 'How can we help?',
    'ui.contact_form.phone': 'Phone',
    'ui.contact_form.company': 'Company',
    'ui.contact_form.submit': 'Send',
    'ui.contact_form.thanks': 'Thank you! We will get back to you soon.',
    'ui.widget.title': 'Chat with us',
    'ui.widget.placeholder': 'Type your message…',
    'ui.widget.send': 'Send',
    'ui.help_center.search': 'Search the help center',
    'ui.help_center.no_results': 'No articles found',
  },
  pt: {
    'ui.contact_form.title': 'Fale conosco',
    'ui.contact_form.name': 'Seu nome',
    'ui.contact_form.email': 'E-mail',
    'ui.contact_form.subject': 'Assunto',
    'ui.contact_form.message': 'Como podemos ajudar?',
    'ui.contact_form.phone': 'Telefone',
    'ui.contact_form.company': 'Empresa',
    'ui.contact_form.submit': 'Enviar',
    'ui.contact_form.thanks': 'Obrigado! Responderemos em breve.',
    'ui.widget.title': 'Converse conosco',
    'ui.widget.placeholder': 'Digite sua mensagem…',
    'ui.widget.send': 'Enviar',
    'ui.help_center.search': 'Pesquisar na central de ajuda',
    'ui.help_center.no_results': 'Nenhum artigo encontrado',
  },
  de: {
    'ui.contact_form.title': 'Kontakt',
    'ui.contact_form.name': 'Ihr Name',
    'ui.contact_form.email': 'E-Mail',
    'ui.contact_form.subject': 'Betreff',
    'ui.contact_form.message': 'Wie können wir helfen?',
    'ui.contact_form.phone': 'Telefon',
    'ui.contact_form.company': 'Firma',
    'ui.contact_form.submit': 'Senden',
    'ui.contact_form.thanks': 'Danke! Wir melden uns bald.',
    'ui.widget.title': 'Chatten Sie mit uns',
    'ui.widget.placeholder': 'Ihre Nachricht…',
    'ui.widget.send': 'Senden',
    'ui.help_center.search': 'Hilfe durchsuchen',
    'ui.help_center.no_results': 'Keine Artikel gefunden',
  },
};

export const templateKey = (key: string): TemplateKey | undefined => TEMPLATE_KEYS.find((k) => k.key === key);
export const isUiStringKey = (key: string): key is UiStringKey => (UI_STRING_KEYS as readonly string[]).includes(key);

/** A BCP 47 tag in its canonical case (pt-br → pt-BR), or null when it is not one. */
export function canonicalLocale(locale: string): string | null {
  try {
    return Intl.getCanonicalLocales(locale.trim().replace(/_/g, '-'))[0] ?? null;
  } catch {
    return null;
  }
}

/** Where a look-up for `requested` goes, in order: pt-BR → pt → the tenant's default (and its language). */
/**
 * UI strings along a locale chain: the tenant's own strings (`ui.*` templates) first, searched
 * along the chain (pt-BR → pt → the tenant's default), shipped strings for the rest.
 */
export function resolveUiStrings(chain: readonly string[], own: readonly { key: string; locale: string; body: string }[]): Record<string, string> {
  const strings: Record<string, string> = shippedUiStrings([...chain]);
  for (const key of Object.keys(strings).filter(isUiStringKey)) {
    const hit = chain.map((l) => own.find((t) => t.key === key && t.locale === l)).find(Boolean);
    if (hit) strings[key] = hit.body;
  }
  return strings;
}

export function localeChain(requested: string | null | undefined, tenantDefault: string | null | undefined): string[] {
  const chain: string[] = [];
  const add = (tag: string | null | undefined) => {
    const c = tag ? canonicalLocale(tag) : null;
    if (!c) return;
    for (let parts = c.split('-'); parts.length > 0; parts = parts.slice(0, -1)) {
      const candidate = parts.join('-');
      if (!chain.includes(candidate)) chain.push(candidate);
    }
  };
  add(requested);
  add(tenantDefault);
  return chain;
}

const PLACEHOLDER = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

/** Every problem with a template text: unknown placeholders, and braces that open a placeholder but never form one. */
export function placeholderProblems(text: string, allowed: readonly string[]): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (!allowed.includes(m[1]!)) problems.push(`{{${m[1]}}} is not a placeholder of this template (allowed: ${allowed.length ? allowed.map((p) => `{{${p}}}`).join(', ') : 'none'})`);
  }
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) problems.push('has "{{" or "}}" that is not a placeholder like {{name}}');
  return problems;
}

export function render(text: string, data: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => data[name] ?? '');
}

/** The shipped default for a key in the first locale of the chain it exists in, else English. */
export function shippedTemplate(key: string, chain: readonly string[]): { locale: string; subject: string | null; body: string } | undefined {
  const byLocale = SHIPPED[key];
  if (!byLocale) return undefined;
  const locale = chain.find((l) => byLocale[l]) ?? 'en';
  const t = byLocale[locale]!;
  return { locale, subject: t.subject ?? null, body: t.body };
}

/** Shipped UI strings for the chain: each key from the first locale that has it, else English. */
export function shippedUiStrings(chain: readonly string[]): Record<UiStringKey, string> {
  const out = { ...UI.en! };
  for (const key of UI_STRING_KEYS) {
    const locale = chain.find((l) => UI[l]?.[key]);
    if (locale) out[key] = UI[locale]![key];
  }
  return out;
}
