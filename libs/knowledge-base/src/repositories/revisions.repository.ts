import { Injectable } from '@nestjs/common';
import { decodeCursor, toPage, type Page, type TenantTx } from '@switchboard/platform';
import { toRevisionView, type RevisionContent, type RevisionView, type Visibility } from './kb.sql';
import { insertRevision, selectRevision, selectRevisionContent, selectRevisionPage } from './revisions.sql';
import { rowsOf } from './statement';

/** An article's immutable revisions (SQL in `revisions.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class RevisionsRepository {
  /** Appends the next revision, recorded as the transaction's actor's. */
  async append(tx: TenantTx, articleId: string, content: RevisionContent, summary: unknown, restoredFrom: string | null = null): Promise<{ id: string; number: number }> {
    const [row] = await rowsOf<{ id: string; number: number }>(tx, insertRevision(tx.context, articleId, content, summary, restoredFrom));
    return row;
  }

  /** What a revision of this article held; undefined when the article has no such revision. */
  async findContent(tx: TenantTx, articleId: string, revisionId: string): Promise<RevisionContent | undefined> {
    const [r] = await rowsOf<{ title: string; slug: string; body: string; visibility: Visibility; tags: string[]; section_id: string }>(tx, selectRevisionContent(tx.tenantId, articleId, revisionId));
    return r && { title: r.title, slug: r.slug, body: r.body, visibility: r.visibility, tags: r.tags, sectionId: r.section_id };
  }

  /** One revision with its body. */
  async find(tx: TenantTx, articleId: string, revisionId: string): Promise<RevisionView | undefined> {
    const [row] = await rowsOf(tx, selectRevision(tx.tenantId, articleId, revisionId));
    return row ? toRevisionView(row) : undefined;
  }

  /** Revisions newest first, without bodies. */
  async page(tx: TenantTx, articleId: string, page: { limit: number; cursor?: string }): Promise<Page<RevisionView>> {
    let before: number | undefined;
    if (page.cursor) {
      const [number] = decodeCursor(page.cursor, 1);
      before = Number(number) || 0;
    }
    const rows = await rowsOf(tx, selectRevisionPage(tx.tenantId, articleId, page.limit + 1, before));
    return toPage(rows.map(toRevisionView), page.limit, (last) => [last.number]);
  }
}
