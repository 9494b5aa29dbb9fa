import { jest } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import { ERASED, erasurePattern, redactBatch } from './redaction';

/** PostgreSQL's word boundaries as JavaScript's, to try the pattern here. */
const asJs = (pattern: string) => new RegExp(pattern.replaceAll('\\m', '\\b').replaceAll('\\M', '\\b'), 'gi');

describe('erasurePattern', () => {
  const pattern = erasurePattern({ emails: ['ada.x@home.example'], phones: ['+442079460019'], others: ['tg-123456'], names: ['Ada  Lovelace', 'Bo'] })!;

  it('finds the email literally (dots are not wildcards), case-insensitively', () => {
    expect('Write to ADA.X@home.example today'.replace(asJs(pattern), ERASED)).toBe(`Write to ${ERASED} today`);
    expect('adaxx@homexexample'.replace(asJs(pattern), ERASED)).toBe('adaxx@homexexample');
  });

  it('finds the phone with or without separators and the plus sign', () => {
    for (const written of ['+44 20 7946 0019', '+44 (20) 7946-0019', '442079460019', '+442079460019']) {
      expect(`call ${written}.`.replace(asJs(pattern), ERASED)).toBe(`call ${ERASED}.`);
    }
  });

  it('finds the full name as whole words with any spacing, leaves names too short to be safe and other words alone', () => {
    expect('Hi Ada Lovelace, Adam Lovelaceson'.replace(asJs(pattern), ERASED)).toBe(`Hi ${ERASED}, Adam Lovelaceson`);
    expect('Bo said'.replace(asJs(pattern), ERASED)).toBe('Bo said');
    expect('chat tg-123456'.replace(asJs(pattern), ERASED)).toBe(`chat ${ERASED}`);
  });

  it('is null when there is nothing to look for, and escapes regex characters', () => {
    expect(erasurePattern({ emails: [], phones: [], others: [], names: ['Al'] })).toBeNull();
    expect(erasurePattern({ emails: ['a+b(c)@x.io'], phones: [], others: [], names: [] })).toBe('(a\\+b\\(c\\)@x\\.io)');
  });
});

describe('redactBatch', () => {
  it('rewrites text columns with regexp_replace and JSON columns with redact_jsonb, only the tenant’s matching rows, and counts them', async () => {
    const query = jest.fn(async (_sql: string, _params?: unknown[]) => [{ n: 3 }]);
    const n = await redactBatch({ query } as unknown as EntityManager, 'tenant-1', { table: 'notes', text: ['body'], json: ['meta'] }, '(x)', 50);
    expect(n).toBe(3);
    const [sql, params] = query.mock.calls[0];
    expect(sql).toContain('FROM notes WHERE tenant_id = $1 AND (body ~* $2 OR meta::text ~* $2) LIMIT 50');
    expect(sql).toContain(`body = regexp_replace(body, $2, $3, 'gi'), meta = redact_jsonb(meta, $2, $3)`);
    expect(params).toEqual(['tenant-1', '(x)', ERASED]);
  });
});
