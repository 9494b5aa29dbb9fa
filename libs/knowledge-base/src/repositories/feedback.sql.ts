import type { Statement } from '@switchboard/platform';

export const selectVisitorFeedback = (tenantId: string, articleId: string, visitorKey: string): Statement => ({
  sql: `SELECT helpful FROM kb_article_feedback WHERE tenant_id = $1 AND article_id = $2 AND visitor_key = $3`,
  params: [tenantId, articleId, visitorKey],
});

/** One answer per visitor and article: the latest replaces the earlier one. */
export const upsertVisitorFeedback = (tenantId: string, articleId: string, visitorKey: string, helpful: boolean, comment: string | null): Statement => ({
  sql: `INSERT INTO kb_article_feedback (tenant_id, article_id, visitor_key, helpful, comment) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (tenant_id, article_id, visitor_key) DO UPDATE SET helpful = EXCLUDED.helpful, comment = EXCLUDED.comment, updated_at = now()`,
  params: [tenantId, articleId, visitorKey, helpful, comment],
});

/** Adds to the article's feedback counters and returns them. */
export const updateFeedbackCounts = (tenantId: string, articleId: string, helpful: number, unhelpful: number): Statement => ({
  sql: `WITH u AS (UPDATE kb_articles SET helpful_count = helpful_count + $3, unhelpful_count = unhelpful_count + $4 WHERE tenant_id = $1 AND id = $2
        RETURNING helpful_count, unhelpful_count) SELECT * FROM u`,
  params: [tenantId, articleId, helpful, unhelpful],
});
