import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { textSearchConfig } from '../../domain/locale';
import { ArticlesCited, kbConfig, type KbConfig } from '../../knowledge-base.context';
import { LearnedTermsRepository } from '../../repositories/learned-terms.repository';
import { RecordArticleCitationCommand } from './record-article-citation.command';

/**
 * The cited articles that are published gain the text's words as evidence, once per source (the
 * receipt row commits with the evidence). Nothing happens for a citation of nothing known.
 */
@CommandHandler(RecordArticleCitationCommand)
export class RecordArticleCitationHandler implements ICommandHandler<RecordArticleCitationCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly learned: LearnedTermsRepository,
    @Inject(kbConfig.token) private readonly config: KbConfig,
  ) {}

  execute({ context, citation }: RecordArticleCitationCommand): Promise<{ articleIds: string[]; words: number }> {
    return this.tx.run(context, async (tx) => {
      if (citation.articleRefs.length === 0 || !citation.text.trim()) return { articleIds: [], words: 0 };
      const articles = await this.learned.citedArticles(tx, citation.articleRefs);
      if (articles.length === 0) return { articleIds: [], words: 0 };
      const articleIds = articles.map((a) => a.id);
      if (!(await this.learned.claimSource(tx, citation.source, articleIds))) return { articleIds: [], words: 0 };
      const configs = [...new Set(articles.map((a) => textSearchConfig(a.locale)))].sort();
      const words = await this.learned.addEvidence(tx, articleIds, configs, citation.text, this.config.KB_LEARNED_HALF_LIFE_DAYS);
      await tx.emit(ArticlesCited.of(articleIds[0]!, { source: citation.source, articleIds, words }));
      return { articleIds, words };
    });
  }
}
