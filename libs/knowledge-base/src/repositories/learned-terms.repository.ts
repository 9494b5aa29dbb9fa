import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { addLearnedEvidence, deleteLearnedTerms, insertLearnedSource, selectCitedArticles, selectLearnedTerms, type LearnedTermView } from './learned-terms.sql';
import { rowsOf } from './statement';

/** Evidence learned from agents' replies: which words lead to which articles (ADR 0063). */
@Injectable()
export class LearnedTermsRepository {
  citedArticles(tx: TenantTx, refs: string[]): Promise<{ id: string; locale: string }[]> {
    return rowsOf(tx, selectCitedArticles(tx.tenantId, refs));
  }

  /** False when the source was counted before. */
  async claimSource(tx: TenantTx, source: string, articleIds: string[]): Promise<boolean> {
    return (await rowsOf(tx, insertLearnedSource(tx.tenantId, source, articleIds))).length > 0;
  }

  /** The number of distinct words added as evidence. */
  async addEvidence(tx: TenantTx, articleIds: string[], configs: string[], text: string, halfLifeDays: number): Promise<number> {
    const rows = await rowsOf<{ lexeme: string }>(tx, addLearnedEvidence(tx.tenantId, articleIds, configs, text, halfLifeDays));
    return new Set(rows.map((r) => r.lexeme)).size;
  }

  /** An article's learned words, strongest first. */
  list(tx: TenantTx, articleId: string, halfLifeDays: number, limit: number): Promise<LearnedTermView[]> {
    return rowsOf(tx, selectLearnedTerms(tx.tenantId, articleId, halfLifeDays, limit));
  }

  /** The words forgotten (one, or every word of the article when lexeme is null). */
  async forget(tx: TenantTx, articleId: string, lexeme: string | null): Promise<string[]> {
    return (await rowsOf<{ lexeme: string }>(tx, deleteLearnedTerms(tx.tenantId, articleId, lexeme))).map((r) => r.lexeme).sort();
  }
}
