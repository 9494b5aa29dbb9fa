import { Command } from '@nestjs/cqrs';
import type { CsatSurvey } from '../../queries/get-csat-survey/get-csat-survey.query';

/** Who is rating: no credential, only the survey link and where the request came from. */
export interface SurveyVisitor {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export class RateTicketCommand extends Command<CsatSurvey> {
  constructor(
    readonly token: string,
    readonly rating: unknown,
    readonly comment: string | null,
    readonly visitor: SurveyVisitor,
  ) {
    super();
  }
}
