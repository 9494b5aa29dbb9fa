import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ArticlesRepository } from '../../repositories/articles.repository';
import { LearnedTermsRepository } from '../../repositories/learned-terms.repository';
import { ForgetLearnedTermsCommand } from './forget-learned-terms.command';

@CommandHandler(ForgetLearnedTermsCommand)
export class ForgetLearnedTermsHandler implements ICommandHandler<ForgetLearnedTermsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly articles: ArticlesRepository,
    private readonly learned: LearnedTermsRepository,
  ) {}

  execute({ context, articleId, lexeme }: ForgetLearnedTermsCommand): Promise<{ forgotten: string[] }> {
    return this.tx.run(context, async (tx) => {
      if (!(await this.articles.exists(tx, articleId))) throw notFound('Article', articleId);
      const forgotten = await this.learned.forget(tx, articleId, lexeme);
      // Forgetting one word that is not there is a 404 (a typo in the word); clearing an article
      // that learned nothing is done already.
      if (lexeme !== null && forgotten.length === 0) throw notFound(`Learned word "${lexeme}" of article`, articleId);
      if (forgotten.length > 0) {
        await tx.audit({ action: 'kb.learned_terms_forgotten', entityType: 'kb_article', entityId: articleId, before: { lexemes: forgotten } });
      }
      return { forgotten };
    });
  }
}
