import { decodeCursor, ProblemException, toPage, type Page, type TenantTx } from '@switchboard/platform';

/** A list's table and filters: `where` uses `?` for each value in `values` (the tenant is always $1). */
export interface PositionedList {
  columns: string;
  table: string;
  where: string[];
  values: unknown[];
}

/**
 * One keyset page of a table ordered by (position, id): the order editors arrange categories,
 * sections and articles in.
 */
export async function positionedPage<R extends { position: number; id: string }, V>(
  tx: TenantTx,
  sql: PositionedList,
  page: { limit: number; cursor?: string },
  toView: (row: R) => V & { position: number; id: string },
): Promise<Page<V>> {
  const params: unknown[] = [tx.tenantId, page.limit + 1];
  const where = ['tenant_id = $1'];
  let i = 0;
  for (const clause of sql.where) where.push(clause.replace(/\?/g, () => `$${params.push(sql.values[i++])}`));
  if (page.cursor) {
    const [position, id] = decodeCursor(page.cursor, 2);
    if (typeof position !== 'number' || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) {
      throw new ProblemException({ status: 400, type: 'invalid-cursor', title: 'Bad Request', detail: 'The cursor is not one this list issued; start again without it.', errors: [{ field: 'cursor', message: 'is invalid' }] });
    }
    where.push(`(position, id) > ($${params.push(position)}::int, $${params.push(id)}::uuid)`);
  }
  const rows: R[] = await tx.manager.query(`SELECT ${sql.columns} FROM ${sql.table} WHERE ${where.join(' AND ')} ORDER BY position, id LIMIT $2`, params);
  return toPage(rows.map(toView), page.limit, (last) => [last.position, last.id]);
}
