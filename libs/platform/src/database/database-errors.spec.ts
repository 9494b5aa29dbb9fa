import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, isRetryableConflict, translateDatabaseError } from './database-errors';

const pgError = (fields: Record<string, string>) => new QueryFailedError('q', [], Object.assign(new Error('raw driver text'), fields));

describe('translateDatabaseError', () => {
  it('turns a unique violation into 409 naming the field, not the tenant', () => {
    const problem = translateDatabaseError(pgError({ code: '23505', detail: 'Key (tenant_id, email_address)=(…) already exists.' }));
    expect(problem?.problem).toMatchObject({ status: 409, detail: 'Another record already has this emailAddress.' });
    expect(problem?.problem.errors).toEqual([{ field: 'emailAddress', message: 'must be unique' }]);
  });

  it('turns foreign-key and check violations into 422', () => {
    expect(translateDatabaseError(pgError({ code: '23503', detail: 'Key (tenant_id, contact_id)=(…) is not present.' }))?.problem).toMatchObject({
      status: 422,
      detail: 'The referenced contactId does not exist or is still in use.',
    });
    expect(translateDatabaseError(pgError({ code: '23514', constraint: 'probes_note_check' }))?.problem).toMatchObject({ status: 422 });
  });

  it('never leaks the driver message', () => {
    const problem = translateDatabaseError(pgError({ code: '22P02' }));
    expect(problem?.problem.detail).not.toMatch(/raw driver text/);
    expect(problem?.problem.status).toBe(400);
  });

  it('leaves server faults and foreign errors alone', () => {
    expect(translateDatabaseError(pgError({ code: 'XX000' }))).toBeNull();
    expect(translateDatabaseError(new Error('boom'))).toBeNull();
  });

  it('answers 503 with Retry-After when the database cannot serve: down, starting, out of connections, cut off by a limit', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    for (const error of [
      refused,
      new Error('Connection terminated due to connection timeout'),
      new Error('timeout exceeded when trying to connect'),
      pgError({ code: '53300' }),
      pgError({ code: '57P01' }),
      pgError({ code: '57014' }),
      pgError({ code: '25P03' }),
      new QueryFailedError('q', [], new Error('Connection terminated unexpectedly')),
    ]) {
      const problem = translateDatabaseError(error)?.problem;
      expect(problem).toMatchObject({ status: 503, type: 'database-unavailable', headers: { 'Retry-After': '2' } });
      expect(problem?.detail).not.toMatch(/ECONNREFUSED|terminated/);
      expect(isDatabaseUnavailable(error)).toBe(true);
    }
    expect(isDatabaseUnavailable(pgError({ code: '23505' }))).toBe(false);
  });
});

describe('isRetryableConflict', () => {
  it('recognises a deadlock and a serialization failure, as TypeORM reports them and as the driver does', () => {
    expect(isRetryableConflict(pgError({ code: '40P01' }))).toBe(true);
    expect(isRetryableConflict(pgError({ code: '40001' }))).toBe(true);
    expect(isRetryableConflict(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(true);
  });

  it('leaves every other failure alone, lock timeouts included (waiting again would wait as long)', () => {
    for (const code of ['23505', '55P03', '57014', '25P02']) expect(isRetryableConflict(pgError({ code }))).toBe(false);
    expect(isRetryableConflict(new Error('deadlock detected'))).toBe(false);
    expect(isRetryableConflict('40P01')).toBe(false);
  });

  it('answers 409 problem+json once the retries are spent', () => {
    expect(translateDatabaseError(pgError({ code: '40P01' }))?.problem).toMatchObject({ status: 409, type: 'concurrent-update' });
  });
});
