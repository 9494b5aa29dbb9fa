import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction, type TenantTx } from '@switchboard/platform';
import { assertBodySize } from '../../domain/article-rules';
import { renderArticleHtml } from '../../domain/markdown';
import { invalidReference, normaliseTags } from '../../domain/problems';
import { summariseChange } from '../../domain/revision-summary';
import { normaliseSlug, requestedSlug, slugTaken } from '../../domain/slug';
import { ArticlesRepository } from '../../repositories/articles.repository';
import { contentOf, type ArticleView } from '../../repositories/kb.sql';
import { RevisionsRepository } from '../../repositories/revisions.repository';
import { SectionsRepository } from '../../repositories/sections.repository';
import { CreateArticleCommand } from './create-article.command';
import { ArticleCreated, kbConfig, type KbConfig } from '../../knowledge-base.context';

@CommandHandler(CreateArticleCommand)
export class CreateArticleHandler implements ICommandHandler<CreateArticleCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sections: SectionsRepository,
    private readonly articles: ArticlesRepository,
    private readonly revisions: RevisionsRepository,
    @Inject(kbConfig.token) private readonly config: KbConfig,
  ) {}

  execute({ context, input }: CreateArticleCommand): Promise<ArticleView> {
    assertBodySize(input.body, this.config.KB_ARTICLE_MAX_BYTES);
    const explicitSlug = input.slug !== undefined ? requestedSlug(input.slug) : undefined;
    const html = renderArticleHtml(input.body);
    return this.tx.run(context, async (tx) => {
      const section = await this.sections.find(tx, input.sectionId);
      if (!section) throw invalidReference('sectionId', `Section ${input.sectionId} does not exist.`);
      let slug = explicitSlug;
      if (slug !== undefined) {
        if (!(await this.articles.slugFree(tx, section.locale, slug))) throw slugTaken(slug, section.locale);
      } else {
        slug = await this.derivedSlug(tx, section.locale, input.title);
      }
      const id = await this.articles.insert(tx, {
        sectionId: section.id,
        categoryId: section.categoryId,
        locale: section.locale,
        title: input.title,
        slug,
        body: input.body,
        html,
        visibility: input.visibility ?? 'public',
        tags: normaliseTags(input.tags ?? []),
        authorId: context.actorId,
        position: input.position ?? 0,
      });
      const article = (await this.articles.find(tx, id))!;
      const content = contentOf(article);
      await this.revisions.append(tx, id, content, summariseChange(null, { ...content }));
      const { body: _body, ...auditable } = content;
      await tx.audit({ action: 'kb.article_created', entityType: 'kb_article', entityId: id, after: { ...auditable, bodyBytes: Buffer.byteLength(input.body) } });
      await tx.emit(ArticleCreated.of(id, { version: article.version, status: article.status }));
      return article;
    });
  }

  /** The first free slug among base, base-2, base-3, … */
  private async derivedSlug(tx: TenantTx, locale: string, title: string): Promise<string> {
    const base = normaliseSlug(title).slice(0, 110).replace(/-+$/, '') || 'article';
    for (let n = 1; n < 1000; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      if (await this.articles.slugFree(tx, locale, candidate)) return candidate;
    }
    return `${base}-${Date.now().toString(36)}`;
  }
}
