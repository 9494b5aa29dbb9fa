import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import { assertBodySize } from '../../domain/article-rules';
import { renderArticleHtml } from '../../domain/markdown';
import { invalidReference, normaliseTags } from '../../domain/problems';
import { summariseChange } from '../../domain/revision-summary';
import { normaliseSlug, requestedSlug, slugTaken } from '../../domain/slug';
import { appendRevision, contentOf, loadArticle, loadSection, slugFree, type ArticleView } from '../../repositories/kb.sql';
import { CreateArticleCommand } from './create-article.command';
import { ArticleCreated } from '../../knowledge-base.context';
import { kbConfig, type KbConfig } from '../../knowledge-base.context';

/** The first free slug among base, base-2, base-3, … */
async function derivedSlug(m: EntityManager, tenantId: string, locale: string, title: string): Promise<string> {
  const base = normaliseSlug(title).slice(0, 110).replace(/-+$/, '') || 'article';
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (await slugFree(m, tenantId, locale, candidate)) return candidate;
  }
  return `${base}-${Date.now().toString(36)}`;
}

@CommandHandler(CreateArticleCommand)
export class CreateArticleHandler implements ICommandHandler<CreateArticleCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    @Inject(kbConfig.token) private readonly config: KbConfig,
  ) {}

  execute({ context, input }: CreateArticleCommand): Promise<ArticleView> {
    assertBodySize(input.body, this.config.KB_ARTICLE_MAX_BYTES);
    const explicitSlug = input.slug !== undefined ? requestedSlug(input.slug) : undefined;
    const html = renderArticleHtml(input.body);
    return this.tx.run(context, async (tx) => {
      const m = tx.manager;
      const section = await loadSection(m, context.tenantId, input.sectionId);
      if (!section) throw invalidReference('sectionId', `Section ${input.sectionId} does not exist.`);
      let slug = explicitSlug;
      if (slug !== undefined) {
        if (!(await slugFree(m, context.tenantId, section.locale, slug))) throw slugTaken(slug, section.locale);
      } else {
        slug = await derivedSlug(m, context.tenantId, section.locale, input.title);
      }
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO kb_articles (tenant_id, section_id, category_id, locale, title, slug, body, body_html, visibility, tags, author_id, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [context.tenantId, section.id, section.categoryId, section.locale, input.title, slug, input.body, html, input.visibility ?? 'public', normaliseTags(input.tags ?? []), context.actorId, input.position ?? 0],
      );
      const article = (await loadArticle(m, context.tenantId, id))!;
      const content = contentOf(article);
      await appendRevision(tx, id, content, summariseChange(null, { ...content }));
      const { body: _body, ...auditable } = content;
      await tx.audit({ action: 'kb.article_created', entityType: 'kb_article', entityId: id, after: { ...auditable, bodyBytes: Buffer.byteLength(input.body) } });
      await tx.emit(ArticleCreated.of(id, { version: article.version, status: article.status }));
      return article;
    });
  }
}
