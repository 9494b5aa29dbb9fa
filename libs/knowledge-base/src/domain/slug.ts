import { ProblemException } from '@switchboard/platform';

export const SLUG_MAX = 120;

/** Lowercase ASCII words joined by single hyphens: accents folded, everything else a separator. */
export function normaliseSlug(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/g, '');
}

/** A slug a client asked for: normalised, and refused when nothing of it survives. */
export function requestedSlug(value: string): string {
  const slug = normaliseSlug(value);
  if (!slug) {
    throw new ProblemException({
      status: 400,
      type: 'validation-failed',
      title: 'Bad Request',
      detail: 'The slug has no letters or digits once normalised; use words such as "reset-your-password".',
      errors: [{ field: 'slug', message: 'must contain letters or digits' }],
    });
  }
  return slug;
}

export const slugTaken = (slug: string, locale: string) =>
  new ProblemException({
    status: 409,
    type: 'slug-taken',
    title: 'Conflict',
    detail: `The slug "${slug}" is already used in locale ${locale} (by an article or a kept redirect); choose another.`,
    errors: [{ field: 'slug', message: 'is already taken' }],
  });
