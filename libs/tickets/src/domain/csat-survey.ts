import { ProblemException } from '@switchboard/platform';
import type { CsatView } from '../repositories/csat.repository';
import type { TicketView } from '../repositories/tickets.sql';
import type { CsatSurvey } from '../queries/get-csat-survey/get-csat-survey.query';

/** Until when the survey accepts a rating: its expiry before the first one, the change window after. */
export function changeableUntil(survey: CsatView): string {
  return survey.ratedAt ? survey.changeableUntil! : survey.expiresAt;
}

export function surveyOf(ticket: TicketView, survey: CsatView, now = new Date()): CsatSurvey {
  const until = changeableUntil(survey);
  return {
    ticketNumber: ticket.number,
    subject: ticket.subject,
    scale: survey.scale,
    rating: survey.rating,
    comment: survey.comment,
    ratedAt: survey.ratedAt,
    expiresAt: survey.expiresAt,
    canChange: now < new Date(until),
    changeableUntil: until,
  };
}

/** 410 for a genuine link past its time: unrated and expired, or rated and past the change window. */
export function assertStillOpen(survey: CsatView, now = new Date()): void {
  if (now < new Date(changeableUntil(survey))) return;
  throw survey.ratedAt
    ? new ProblemException({ status: 410, type: 'survey-closed', title: 'Gone', detail: `This rating can no longer be changed (the change window ended at ${survey.changeableUntil}).` })
    : new ProblemException({ status: 410, type: 'survey-expired', title: 'Gone', detail: `This survey expired at ${survey.expiresAt}.` });
}
