import type { MessageKind } from './messages';

export const MESSAGE_LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

/** What a message says about its visit or job, already formatted for the customer. */
export interface MessageVars {
  customerName: string;
  company: string;
  jobTitle: string;
  /** The visit's start in the customer's language and time zone ("Tuesday, 8 December 2026 at 10:00"). */
  when: string | null;
  /** "10:00–12:00" when the visit has an arrival window. */
  arrivalWindow: string | null;
  address: string | null;
  timeZone: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
}

type Template = (v: MessageVars) => RenderedMessage;

const lines = (...parts: (string | null | false)[]) => parts.filter((p): p is string => typeof p === 'string').join('\n');

const TEMPLATES: Record<MessageLanguage, Record<MessageKind, Template>> = {
  en: {
    visit_confirmation: (v) => ({
      subject: `${v.company}: your visit on ${v.when} is booked`,
      text: lines(`Hello ${v.customerName},`, '', `Your visit for "${v.jobTitle}" is booked for ${v.when} (${v.timeZone}).`, v.arrivalWindow && `Our technician arrives between ${v.arrivalWindow}.`, v.address && `Address: ${v.address}`, '', 'The attached invitation adds it to your calendar.', '', v.company),
    }),
    visit_rescheduled: (v) => ({
      subject: `${v.company}: your visit moved to ${v.when}`,
      text: lines(`Hello ${v.customerName},`, '', `Your visit for "${v.jobTitle}" now takes place on ${v.when} (${v.timeZone}).`, v.arrivalWindow && `Our technician arrives between ${v.arrivalWindow}.`, v.address && `Address: ${v.address}`, '', 'The attached invitation updates your calendar.', '', v.company),
    }),
    visit_cancelled: (v) => ({
      subject: `${v.company}: your visit on ${v.when} is cancelled`,
      text: lines(`Hello ${v.customerName},`, '', `Your visit for "${v.jobTitle}" on ${v.when} (${v.timeZone}) is cancelled.`, 'Reply to this message if you would like a new appointment.', '', v.company),
    }),
    visit_reminder: (v) => ({
      subject: `Reminder: ${v.company} visits you on ${v.when}`,
      text: lines(`Hello ${v.customerName},`, '', `A reminder of your visit for "${v.jobTitle}" on ${v.when} (${v.timeZone}).`, v.arrivalWindow && `Our technician arrives between ${v.arrivalWindow}.`, v.address && `Address: ${v.address}`, '', v.company),
    }),
    service_reminder: (v) => ({
      subject: `${v.company}: time for your next service`,
      text: lines(`Hello ${v.customerName},`, '', `It is time to plan your next "${v.jobTitle}". Reply to this message and we will find a date that suits you.`, '', v.company),
    }),
  },
  de: {
    visit_confirmation: (v) => ({
      subject: `${v.company}: Ihr Termin am ${v.when} ist gebucht`,
      text: lines(`Guten Tag ${v.customerName},`, '', `Ihr Termin für „${v.jobTitle}“ ist für ${v.when} (${v.timeZone}) gebucht.`, v.arrivalWindow && `Unser Techniker kommt zwischen ${v.arrivalWindow}.`, v.address && `Adresse: ${v.address}`, '', 'Mit der angehängten Einladung tragen Sie den Termin in Ihren Kalender ein.', '', v.company),
    }),
    visit_rescheduled: (v) => ({
      subject: `${v.company}: Ihr Termin wurde auf ${v.when} verschoben`,
      text: lines(`Guten Tag ${v.customerName},`, '', `Ihr Termin für „${v.jobTitle}“ findet jetzt am ${v.when} (${v.timeZone}) statt.`, v.arrivalWindow && `Unser Techniker kommt zwischen ${v.arrivalWindow}.`, v.address && `Adresse: ${v.address}`, '', 'Die angehängte Einladung aktualisiert Ihren Kalender.', '', v.company),
    }),
    visit_cancelled: (v) => ({
      subject: `${v.company}: Ihr Termin am ${v.when} ist abgesagt`,
      text: lines(`Guten Tag ${v.customerName},`, '', `Ihr Termin für „${v.jobTitle}“ am ${v.when} (${v.timeZone}) ist abgesagt.`, 'Antworten Sie auf diese Nachricht, wenn Sie einen neuen Termin wünschen.', '', v.company),
    }),
    visit_reminder: (v) => ({
      subject: `Erinnerung: ${v.company} kommt am ${v.when}`,
      text: lines(`Guten Tag ${v.customerName},`, '', `Wir erinnern Sie an Ihren Termin für „${v.jobTitle}“ am ${v.when} (${v.timeZone}).`, v.arrivalWindow && `Unser Techniker kommt zwischen ${v.arrivalWindow}.`, v.address && `Adresse: ${v.address}`, '', v.company),
    }),
    service_reminder: (v) => ({
      subject: `${v.company}: Zeit für Ihre nächste Wartung`,
      text: lines(`Guten Tag ${v.customerName},`, '', `Es ist Zeit, Ihr nächstes „${v.jobTitle}“ zu planen. Antworten Sie auf diese Nachricht, und wir finden einen passenden Termin.`, '', v.company),
    }),
  },
  fr: {
    visit_confirmation: (v) => ({
      subject: `${v.company} : votre rendez-vous du ${v.when} est confirmé`,
      text: lines(`Bonjour ${v.customerName},`, '', `Votre rendez-vous pour « ${v.jobTitle} » est prévu le ${v.when} (${v.timeZone}).`, v.arrivalWindow && `Notre technicien arrivera entre ${v.arrivalWindow}.`, v.address && `Adresse : ${v.address}`, '', 'L’invitation jointe l’ajoute à votre agenda.', '', v.company),
    }),
    visit_rescheduled: (v) => ({
      subject: `${v.company} : votre rendez-vous est déplacé au ${v.when}`,
      text: lines(`Bonjour ${v.customerName},`, '', `Votre rendez-vous pour « ${v.jobTitle} » a lieu désormais le ${v.when} (${v.timeZone}).`, v.arrivalWindow && `Notre technicien arrivera entre ${v.arrivalWindow}.`, v.address && `Adresse : ${v.address}`, '', 'L’invitation jointe met votre agenda à jour.', '', v.company),
    }),
    visit_cancelled: (v) => ({
      subject: `${v.company} : votre rendez-vous du ${v.when} est annulé`,
      text: lines(`Bonjour ${v.customerName},`, '', `Votre rendez-vous pour « ${v.jobTitle} » du ${v.when} (${v.timeZone}) est annulé.`, 'Répondez à ce message pour convenir d’un nouveau rendez-vous.', '', v.company),
    }),
    visit_reminder: (v) => ({
      subject: `Rappel : ${v.company} passe le ${v.when}`,
      text: lines(`Bonjour ${v.customerName},`, '', `Nous vous rappelons votre rendez-vous pour « ${v.jobTitle} » le ${v.when} (${v.timeZone}).`, v.arrivalWindow && `Notre technicien arrivera entre ${v.arrivalWindow}.`, v.address && `Adresse : ${v.address}`, '', v.company),
    }),
    service_reminder: (v) => ({
      subject: `${v.company} : il est temps de planifier votre prochain entretien`,
      text: lines(`Bonjour ${v.customerName},`, '', `Il est temps de planifier votre prochain « ${v.jobTitle} ». Répondez à ce message et nous trouverons une date qui vous convient.`, '', v.company),
    }),
  },
  es: {
    visit_confirmation: (v) => ({
      subject: `${v.company}: su visita del ${v.when} está reservada`,
      text: lines(`Hola ${v.customerName}:`, '', `Su visita para «${v.jobTitle}» está reservada para el ${v.when} (${v.timeZone}).`, v.arrivalWindow && `Nuestro técnico llegará entre ${v.arrivalWindow}.`, v.address && `Dirección: ${v.address}`, '', 'La invitación adjunta la añade a su calendario.', '', v.company),
    }),
    visit_rescheduled: (v) => ({
      subject: `${v.company}: su visita se ha movido al ${v.when}`,
      text: lines(`Hola ${v.customerName}:`, '', `Su visita para «${v.jobTitle}» tendrá lugar ahora el ${v.when} (${v.timeZone}).`, v.arrivalWindow && `Nuestro técnico llegará entre ${v.arrivalWindow}.`, v.address && `Dirección: ${v.address}`, '', 'La invitación adjunta actualiza su calendario.', '', v.company),
    }),
    visit_cancelled: (v) => ({
      subject: `${v.company}: su visita del ${v.when} está cancelada`,
      text: lines(`Hola ${v.customerName}:`, '', `Su visita para «${v.jobTitle}» del ${v.when} (${v.timeZone}) está cancelada.`, 'Responda a este mensaje si desea una nueva cita.', '', v.company),
    }),
    visit_reminder: (v) => ({
      subject: `Recordatorio: ${v.company} le visita el ${v.when}`,
      text: lines(`Hola ${v.customerName}:`, '', `Le recordamos su visita para «${v.jobTitle}» el ${v.when} (${v.timeZone}).`, v.arrivalWindow && `Nuestro técnico llegará entre ${v.arrivalWindow}.`, v.address && `Dirección: ${v.address}`, '', v.company),
    }),
    service_reminder: (v) => ({
      subject: `${v.company}: es hora de su próximo servicio`,
      text: lines(`Hola ${v.customerName}:`, '', `Es hora de planificar su próximo «${v.jobTitle}». Responda a este mensaje y buscaremos una fecha que le convenga.`, '', v.company),
    }),
  },
};

/**
 * The language a message is written in: the first of the candidates (the customer's locale, then
 * the tenant's) whose language has templates, matching on the primary subtag (`de-AT` → `de`); else English.
 */
export function messageLanguage(...locales: (string | null | undefined)[]): MessageLanguage {
  for (const locale of locales) {
    const primary = locale?.split(/[-_]/)[0]?.toLowerCase();
    if (primary && (MESSAGE_LANGUAGES as readonly string[]).includes(primary)) return primary as MessageLanguage;
  }
  return 'en';
}

/** A locale `Intl` accepts for formatting dates, from the candidates; else the language itself. */
export function formattingLocale(language: MessageLanguage, ...locales: (string | null | undefined)[]): string {
  for (const locale of locales) {
    if (!locale || locale.split(/[-_]/)[0]?.toLowerCase() !== language) continue;
    try {
      return Intl.getCanonicalLocales(locale)[0] ?? language;
    } catch {
      // not a BCP 47 tag: try the next
    }
  }
  return language;
}

export function renderMessage(kind: MessageKind, language: MessageLanguage, vars: MessageVars): RenderedMessage {
  return TEMPLATES[language][kind](vars);
}

/** "Tuesday, 8 December 2026 at 10:00" in the locale and zone. */
export function formatWhen(instant: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(instant);
}

/** "10:00–12:00" in the locale and zone. */
export function formatWindow(start: Date, end: Date, locale: string, timeZone: string): string {
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone });
  return `${time.format(start)}–${time.format(end)}`;
}
