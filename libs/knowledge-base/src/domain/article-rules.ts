import { ProblemException } from '@switchboard/platform';
import type { ArticleStatus } from '../repositories/kb.sql';

/** Bytes of Markdown an article body may have; larger is a 413 (KB_ARTICLE_MAX_BYTES). */
export function assertBodySize(body: string | undefined, maxBytes: number): void {
  if (body === undefined) return;
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > maxBytes) {
    throw new ProblemException({
      status: 413,
      type: 'article-too-large',
      title: 'Content Too Large',
      detail: `The article body is ${bytes} bytes of Markdown; at most ${maxBytes} are accepted. Split it into several articles.`,
      errors: [{ field: 'body', message: `must be at most ${maxBytes} bytes` }],
      extensions: { limit: maxBytes },
    });
  }
}

/** draft → published → archived, and archived articles may be published again. */
export function assertStatusChange(from: ArticleStatus, to: ArticleStatus): void {
  if (from === to) return;
  if (to === 'draft') {
    throw new ProblemException({ status: 409, type: 'invalid-transition', title: 'Conflict', detail: `An article cannot go back to draft (it is ${from}); archive it instead.` });
  }
}
