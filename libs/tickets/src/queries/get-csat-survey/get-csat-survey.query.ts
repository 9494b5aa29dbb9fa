import { Query } from '@nestjs/cqrs';
import type { CsatRating, CsatScale } from '../../domain/csat';

/** A survey as the person holding its link sees it. */
export interface CsatSurvey {
  ticketNumber: number;
  subject: string;
  scale: CsatScale;
  rating: CsatRating | null;
  comment: string | null;
  ratedAt: string | null;
  expiresAt: string;
  /** Whether a (new or changed) rating is still accepted. */
  canChange: boolean;
  /** Until when: the survey's expiry before the first rating, the change window after it. */
  changeableUntil: string;
}

export class GetCsatSurveyQuery extends Query<CsatSurvey> {
  constructor(readonly token: string) {
    super();
  }
}
