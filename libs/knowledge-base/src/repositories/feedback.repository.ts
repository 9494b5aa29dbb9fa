import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { selectVisitorFeedback, updateFeedbackCounts, upsertVisitorFeedback } from './feedback.sql';
import { rowsOf } from './statement';

/** Readers' "was this helpful?" answers and the article's tally of them (SQL in `feedback.sql.ts`). */
@Injectable()
export class FeedbackRepository {
  /** This visitor's earlier answer on the article, if any. */
  async previous(tx: TenantTx, articleId: string, visitorKey: string): Promise<{ helpful: boolean } | undefined> {
    const [row] = await rowsOf<{ helpful: boolean }>(tx, selectVisitorFeedback(tx.tenantId, articleId, visitorKey));
    return row;
  }

  /** Records the visitor's answer, replacing an earlier one. */
  async save(tx: TenantTx, articleId: string, visitorKey: string, helpful: boolean, comment: string | null): Promise<void> {
    await rowsOf(tx, upsertVisitorFeedback(tx.tenantId, articleId, visitorKey, helpful, comment));
  }

  /** Adds the deltas to the article's counters; returns the counters after. */
  async addToCounts(tx: TenantTx, articleId: string, helpful: number, unhelpful: number): Promise<{ helpful: number; unhelpful: number }> {
    const [row] = await rowsOf<{ helpful_count: number; unhelpful_count: number }>(tx, updateFeedbackCounts(tx.tenantId, articleId, helpful, unhelpful));
    return { helpful: row.helpful_count, unhelpful: row.unhelpful_count };
  }
}
