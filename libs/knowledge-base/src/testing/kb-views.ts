import type { ArticleView, CategoryView, SectionView } from '../repositories/kb.sql';

/**
 * Views as the repositories return them, for the knowledge base's unit specs (typed by the views
 * themselves, so a changed shape fails to compile here rather than drifting).
 */
const at = '2026-12-01T00:00:00.000Z';

export const aCategory = (over: Partial<CategoryView> = {}): CategoryView => ({
  id: 'cat-1',
  locale: 'en',
  name: 'Billing',
  description: null,
  position: 0,
  createdAt: at,
  updatedAt: at,
  version: 1,
  ...over,
});

export const aSection = (over: Partial<SectionView> = {}): SectionView => ({
  ...aCategory({ id: 'sec-1', name: 'Invoices' }),
  categoryId: 'cat-1',
  ...over,
});

export const anArticle = (over: Partial<ArticleView> = {}): ArticleView => ({
  id: 'art-1',
  sectionId: 'sec-1',
  categoryId: 'cat-1',
  locale: 'en',
  title: 'Reset your password',
  slug: 'reset-your-password',
  body: 'Click **Forgot password?** below the sign-in form.',
  html: '<p>Click <strong>Forgot password?</strong> below the sign-in form.</p>',
  status: 'draft',
  visibility: 'public',
  tags: [],
  authorId: null,
  position: 0,
  publishedAt: null,
  feedback: { helpful: 0, unhelpful: 0 },
  indexedVersion: null,
  createdAt: at,
  updatedAt: at,
  version: 1,
  ...over,
});
