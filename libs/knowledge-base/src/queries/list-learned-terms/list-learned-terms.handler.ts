import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { kbConfig, type KbConfig } from '../../knowledge-base.context';
import { ArticlesRepository } from '../../repositories/articles.repository';
import { LearnedTermsRepository } from '../../repositories/learned-terms.repository';
import { ListLearnedTermsQuery } from './list-learned-terms.query';

@QueryHandler(ListLearnedTermsQuery)
export class ListLearnedTermsHandler implements IQueryHandler<ListLearnedTermsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly articles: ArticlesRepository,
    private readonly learned: LearnedTermsRepository,
    @Inject(kbConfig.token) private readonly config: KbConfig,
  ) {}

  execute({ tenantId, articleId, limit }: ListLearnedTermsQuery) {
    const halfLifeDays = this.config.KB_LEARNED_HALF_LIFE_DAYS;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.articles.exists(tx, articleId))) throw notFound('Article', articleId);
      return { articleId, halfLifeDays, data: await this.learned.list(tx, articleId, halfLifeDays, limit) };
    });
  }
}
