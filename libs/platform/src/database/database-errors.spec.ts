import { QueryFailedError } from 'typeorm';
import { translateDatabaseError } from './database-errors';

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
    expect(translateDatabaseError(pgError({ code: '53300' }))).toBeNull();
    expect(translateDatabaseError(new Error('boom'))).toBeNull();
  });
});
