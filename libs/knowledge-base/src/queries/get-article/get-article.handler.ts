import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { requireLocale } from '../../domain/locale';
import { normaliseSlug } from '../../domain/slug';
import { ARTICLE_COLUMNS, loadArticle, toArticleView, type ArticleView } from '../../repositories/kb.sql';
import { GetArticleQuery } from './get-article.query';

@QueryHandler(GetArticleQuery)
export class GetArticleHandler implements IQueryHandler<GetArticleQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, lookup, audience }: GetArticleQuery): Promise<{ article: ArticleView } | { redirectTo: string }> {
    const visible = (a: ArticleView | undefined) => a && (audience === 'agent' || (a.status === 'published' && a.visibility === 'public'));
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const m = tx.manager;
      if ('id' in lookup) {
        const article = await loadArticle(m, tenantId, lookup.id);
        if (!visible(article)) throw notFound('Article', lookup.id);
        return { article: article! };
      }
      const locale = requireLocale(lookup.locale);
      const slug = normaliseSlug(lookup.slug);
      const rows = await m.query(`SELECT ${ARTICLE_COLUMNS} FROM kb_articles WHERE tenant_id = $1 AND locale = $2 AND slug = $3`, [tenantId, locale, slug]);
      const article = rows[0] ? toArticleView(rows[0]) : undefined;
      if (visible(article)) return { article: article! };
      if (!article) {
        const redirect: { slug: string; status: string; visibility: string }[] = await m.query(
          `SELECT a.slug, a.status, a.visibility FROM kb_slug_redirects r JOIN kb_articles a ON a.tenant_id = r.tenant_id AND a.id = r.article_id
            WHERE r.tenant_id = $1 AND r.locale = $2 AND r.slug = $3`,
          [tenantId, locale, slug],
        );
        const target = redirect[0];
        if (target && (audience === 'agent' || (target.status === 'published' && target.visibility === 'public'))) return { redirectTo: target.slug };
      }
      throw notFound('Article', `"${slug}" (${locale})`);
    });
  }
}
