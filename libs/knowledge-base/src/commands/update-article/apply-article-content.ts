import { notFound, ProblemException, type TenantTx } from '@switchboard/platform';
import { renderArticleHtml } from '../../domain/markdown';
import { invalidReference, normaliseTags, stale } from '../../domain/problems';
import { summariseChange } from '../../domain/revision-summary';
import { requestedSlug, slugTaken } from '../../domain/slug';
import { appendRevision, contentOf, loadArticle, loadSection, slugFree, type ArticleView, type RevisionContent } from '../../repositories/kb.sql';
import type { ArticleChanges } from './update-article.command';
import { ArticleUpdated } from '../../knowledge-base.context';

/**
 * Applies content changes to one article inside the caller's transaction: version check, slug
 * rules (normalised, unique per locale, and kept as a redirect once published), a new revision
 * when the content changed, audit and the `kb.article_updated` event.
 */
export async function applyArticleChanges(
  tx: TenantTx,
  articleId: string,
  changes: ArticleChanges,
  expectedVersion: number | null,
  restoredFrom: string | null = null,
): Promise<ArticleView> {
  const m = tx.manager;
  const tenantId = tx.tenantId;
  const before = await loadArticle(m, tenantId, articleId, true);
  if (!before) throw notFound('Article', articleId);
  if (expectedVersion !== null && before.version !== expectedVersion) throw stale('article', expectedVersion, before.version);

  let section = { id: before.sectionId, categoryId: before.categoryId, locale: before.locale };
  if (changes.sectionId !== undefined && changes.sectionId !== before.sectionId) {
    const target = await loadSection(m, tenantId, changes.sectionId);
    if (!target) throw invalidReference('sectionId', `Section ${changes.sectionId} does not exist.`);
    if (target.locale !== before.locale) throw invalidReference('sectionId', `An article in ${before.locale} cannot move to a section in ${target.locale}.`);
    section = target;
  }
  const next: RevisionContent = {
    title: changes.title ?? before.title,
    slug: changes.slug !== undefined ? requestedSlug(changes.slug) : before.slug,
    body: changes.body ?? before.body,
    visibility: changes.visibility ?? before.visibility,
    tags: changes.tags ? normaliseTags(changes.tags) : before.tags,
    sectionId: section.id,
  };
  const position = changes.position ?? before.position;
  const previous = contentOf(before);
  const summary = summariseChange(previous as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
  if (summary.fields.length === 0 && position === before.position) return before;

  let slugRedirected = false;
  if (next.slug !== before.slug) {
    const wasPublished = (await m.query(`SELECT ever_published FROM kb_articles WHERE tenant_id = $1 AND id = $2`, [tenantId, articleId]))[0].ever_published as boolean;
    if (wasPublished && !changes.keepRedirect) {
      throw new ProblemException({
        status: 409,
        type: 'slug-immutable',
        title: 'Conflict',
        detail: `The article has been published as "${before.slug}"; its slug changes only with keepRedirect: true, so existing links keep working.`,
        errors: [{ field: 'slug', message: 'is fixed once published unless keepRedirect is true' }],
      });
    }
    if (!(await slugFree(m, tenantId, before.locale, next.slug, articleId))) throw slugTaken(next.slug, before.locale);
    // Its own old redirect may be reclaimed; the slug it leaves becomes one when links may exist.
    await m.query(`DELETE FROM kb_slug_redirects WHERE tenant_id = $1 AND locale = $2 AND slug = $3`, [tenantId, before.locale, next.slug]);
    if (wasPublished) {
      await m.query(`INSERT INTO kb_slug_redirects (tenant_id, locale, slug, article_id) VALUES ($1, $2, $3, $4)`, [tenantId, before.locale, before.slug, articleId]);
      slugRedirected = true;
    }
  }
  const html = next.body !== before.body ? renderArticleHtml(next.body) : before.html;
  await m.query(
    `UPDATE kb_articles SET title = $3, slug = $4, body = $5, body_html = $6, visibility = $7, tags = $8, section_id = $9, category_id = $10, position = $11,
            updated_at = now(), version = version + 1
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, articleId, next.title, next.slug, next.body, html, next.visibility, next.tags, section.id, section.categoryId, position],
  );
  const after = (await loadArticle(m, tenantId, articleId))!;
  if (summary.fields.length > 0) await appendRevision(tx, articleId, next, summary, restoredFrom);
  const changed = [...summary.fields, ...(position !== before.position ? ['position'] : [])];
  const pick = (a: ArticleView) =>
    Object.fromEntries(changed.map((f) => [f, f === 'body' ? { bytes: Buffer.byteLength(a.body) } : (a as unknown as Record<string, unknown>)[f]]));
  await tx.audit({ action: restoredFrom ? 'kb.article_restored' : 'kb.article_updated', entityType: 'kb_article', entityId: articleId, before: pick(before), after: pick(after) });
  await tx.emit(ArticleUpdated.of(articleId, { changed, version: after.version, status: after.status, restoredFrom, slugRedirectedFrom: slugRedirected ? before.slug : null }));
  return after;
}
