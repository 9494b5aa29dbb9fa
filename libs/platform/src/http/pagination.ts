import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { createHash } from 'node:crypto';
import { currentRequestUrl } from '../context/async-context.module';
import { ProblemException } from './problem';

export const MAX_PAGE_SIZE = 100;

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 25, description: 'Items per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 25;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page’s nextCursor' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * Query parameters that page through a list without changing which list it is; `since` is where
 * the ticket export starts, which its cursors then carry on from.
 */
const PAGING_PARAMS = new Set(['cursor', 'limit', 'since']);

/**
 * Which list a cursor belongs to: the request's path and its filters and sort (every query
 * parameter but cursor and limit, in a stable order), hashed. Outside an HTTP request (jobs,
 * sockets) there is no list to bind to, and the scope is "-".
 */
export function listScope(url: string | undefined = currentRequestUrl()): string {
  if (url === undefined) return '-';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const filters = [...new URLSearchParams(q === -1 ? '' : url.slice(q + 1))].filter(([key]) => !PAGING_PARAMS.has(key)).sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return createHash('sha256').update(JSON.stringify([path, filters])).digest('base64url').slice(0, 12);
}

/** A cursor carries the scope of the list that issued it, so another list (or other filters) refuses it. */
export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify([listScope(), ...values])).toString('base64url');
}

const invalidCursor = (detail = 'The cursor is not one this list issued; start again without it.') =>
  new ProblemException({
    status: 400,
    type: 'invalid-cursor',
    title: 'Bad Request',
    detail,
    errors: [{ field: 'cursor', message: 'is invalid' }],
  });

export function decodeCursor(cursor: string, arity: number): unknown[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(decoded) || decoded.length !== arity + 1 || decoded.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
    throw invalidCursor();
  }
  const [scope, ...values] = decoded;
  if (scope !== listScope()) {
    throw invalidCursor('The cursor belongs to another list or other filters; send it with the path and filters that issued it, or start again without it.');
  }
  return values;
}

export interface SortKey<E> {
  /** SQL expression, e.g. `p.created_at`; timestamps need millisecond precision (timestamptz(3)) to round-trip through a cursor. */
  column: string;
  /** Read from each entity to build the next cursor. */
  value: (entity: E) => string | number | Date;
}

/**
 * The page of a keyset query that fetched `limit + 1` rows: the extra row only says there is a
 * next page, whose cursor is built from the last row kept.
 */
export function toPage<T>(rows: T[], limit: number, cursorOf: (last: T) => readonly (string | number)[]): Page<T> {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}

/**
 * Keyset pagination over a row-value comparison, so page N costs the same as page 1 and
 * concurrent inserts never shift or repeat items. All keys sort in one direction; the last
 * key must be unique (the id).
 */
export async function paginate<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  keys: readonly SortKey<E>[],
  direction: 'ASC' | 'DESC',
  page: PageQueryDto,
): Promise<Page<E>> {
  const columns = keys.map((k) => k.column);
  if (page.cursor) {
    const values = decodeCursor(page.cursor, keys.length);
    const params = Object.fromEntries(values.map((v, i) => [`cursor${i}`, v]));
    const op = direction === 'DESC' ? '<' : '>';
    qb.andWhere(`(${columns.join(', ')}) ${op} (${values.map((_, i) => `:cursor${i}`).join(', ')})`, params);
  }
  for (const column of columns) qb.addOrderBy(column, direction);
  const rows = await qb.limit(page.limit + 1).getMany();
  return toPage(rows, page.limit, (last) =>
    keys.map((k) => {
      const v = k.value(last);
      return v instanceof Date ? v.toISOString() : v;
    }),
  );
}
