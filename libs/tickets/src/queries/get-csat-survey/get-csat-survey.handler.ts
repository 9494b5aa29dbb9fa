import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { surveyNotFound } from '../../domain/csat';
import { CsatSigner } from '../../domain/csat-signer';
import { surveyOf } from '../../domain/csat-survey';
import { CsatRepository } from '../../repositories/csat.repository';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { GetCsatSurveyQuery, type CsatSurvey } from './get-csat-survey.query';

/**
 * A survey by its signed link: the signature names the tenant and ticket, so the look-up runs in
 * that tenant's transaction only once the link is proven genuine. Anything else is a 404.
 */
@QueryHandler(GetCsatSurveyQuery)
export class GetCsatSurveyHandler implements IQueryHandler<GetCsatSurveyQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly signer: CsatSigner,
    private readonly tickets: TicketsRepository,
    private readonly csat: CsatRepository,
  ) {}

  async execute({ token }: GetCsatSurveyQuery): Promise<CsatSurvey> {
    const payload = await this.signer.verify(token);
    if (!payload) throw surveyNotFound();
    return this.tx.run({ tenantId: payload.t, actorId: null, correlationId: null }, async (tx) => {
      const [ticket, survey] = [await this.tickets.find(tx, payload.k), await this.csat.find(tx, payload.k)];
      if (!ticket || !survey) throw surveyNotFound();
      return surveyOf(ticket, survey);
    });
  }
}
