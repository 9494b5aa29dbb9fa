import { Injectable } from '@nestjs/common';
import { notFound, ProblemException, type TenantTx } from '@switchboard/platform';
import { renderArticleHtml } from '../../domain/markdown';
import { invalidReference, normaliseTags, stale } from '../../domain/problems';
import { summariseChange } from '../../domain/revision-summary';
import { requestedSlug, slugTaken } from '../../domain/slug';
import { ArticlesRepository } from '../../repositories/articles.repository';
import { contentOf, type ArticleView, type RevisionContent } from '../../repositories/kb.sql';
import { RevisionsRepository } from '../../repositories/revisions.repository';
import { SectionsRepository } from '../../repositories/sections.repository';
import type { ArticleChanges } from './update-article.command';
import { ArticleUpdated } from '../../knowledge-base.context';

/**
 * The rules of changing an article's content, shared by editing and restoring a revision: version
 * check, slug rules (normalised, unique per locale, and kept as a redirect once published), a new
 * revision when the content changed, audit and the `kb.article_updated` event.
 */
@Injectable()
export class ArticleContentChanges {
  constructor(
    private readonly articles: ArticlesRepository,
    private readonly sections: SectionsRepository,
    private readonly revisions: RevisionsRepository,
  ) {}

  /** Applies the changes to one article inside the caller's transaction. */
  async apply(tx: TenantTx, articleId: string, changes: ArticleChanges, expectedVersion: number | null, restoredFrom: string | null = null): Promise<ArticleView> {
    const before = await this.articles.findForUpdate(tx, articleId);
    if (!before) throw notFound('Article', articleId);
    if (expectedVersion !== null && before.version !== expectedVersion) throw stale('article', expectedVersion, before.version);

    let section = { id: before.sectionId, categoryId: before.categoryId, locale: before.locale };
    if (changes.sectionId !== undefined && changes.sectionId !== before.sectionId) {
      const target = await this.sections.find(tx, changes.sectionId);
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
      const wasPublished = await this.articles.everPublished(tx, articleId);
      if (wasPublished && !changes.keepRedirect) {
        throw new ProblemException({
          status: 409,
          type: 'slug-immutable',
          title: 'Conflict',
          detail: `The article has been published as "${before.slug}"; its slug changes only with keepRedirect: true, so existing links keep working.`,
          errors: [{ field: 'slug', message: 'is fixed once published unless keepRedirect is true' }],
        });
      }
      if (!(await this.articles.slugFree(tx, before.locale, next.slug, articleId))) throw slugTaken(next.slug, before.locale);
      // Its own old redirect may be reclaimed; the slug it leaves becomes one when links may exist.
      await this.articles.deleteRedirect(tx, before.locale, next.slug);
      if (wasPublished) {
        await this.articles.addRedirect(tx, before.locale, before.slug, articleId);
        slugRedirected = true;
      }
    }
    const html = next.body !== before.body ? renderArticleHtml(next.body) : before.html;
    await this.articles.updateContent(tx, articleId, { ...next, html, categoryId: section.categoryId, position });
    const after = (await this.articles.find(tx, articleId))!;
    if (summary.fields.length > 0) await this.revisions.append(tx, articleId, next, summary, restoredFrom);
    const changed = [...summary.fields, ...(position !== before.position ? ['position'] : [])];
    const pick = (a: ArticleView) =>
      Object.fromEntries(changed.map((f) => [f, f === 'body' ? { bytes: Buffer.byteLength(a.body) } : (a as unknown as Record<string, unknown>)[f]]));
    await tx.audit({ action: restoredFrom ? 'kb.article_restored' : 'kb.article_updated', entityType: 'kb_article', entityId: articleId, before: pick(before), after: pick(after) });
    await tx.emit(ArticleUpdated.of(articleId, { changed, version: after.version, status: after.status, restoredFrom, slugRedirectedFrom: slugRedirected ? before.slug : null }));
    return after;
  }
}
