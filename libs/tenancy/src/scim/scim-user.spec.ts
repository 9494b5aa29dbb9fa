import { ScimError } from './scim-error';
import { parseScimUser, personName, toScimUser, USER_SCHEMA } from './scim-user';

describe('SCIM User mapping', () => {
  it('reads a directory’s User: email userName lower-cased, names, externalId, active', () => {
    expect(parseScimUser({ schemas: [USER_SCHEMA], userName: ' Ada@Example.COM ', name: { givenName: 'Ada', familyName: 'Lovelace' }, externalId: '00u1', active: false })).toEqual({
      userName: 'ada@example.com',
      externalId: '00u1',
      givenName: 'Ada',
      familyName: 'Lovelace',
      displayName: null,
      active: false,
    });
  });

  it('takes the primary email when userName is a login name, and accepts "True" for active', () => {
    const f = parseScimUser({ UserName: 'ada', emails: [{ value: 'other@example.com' }, { value: 'Ada@Example.com', primary: true }], active: 'True' });
    expect(f).toMatchObject({ userName: 'ada@example.com', active: true });
    expect(personName(f)).toBe('ada');
  });

  it.each([
    ['not an object', 'x'],
    ['no userName', { name: {} }],
    ['a userName that is no email and no email', { userName: 'ada' }],
    ['a wrong schema', { schemas: ['urn:other'], userName: 'a@b.c' }],
    ['active not boolean', { userName: 'a@b.c', active: 3 }],
    ['name not an object', { userName: 'a@b.c', name: 'Ada' }],
    ['an overlong displayName', { userName: 'a@b.c', displayName: 'x'.repeat(201) }],
  ])('refuses %s with a 400 SCIM error', (_what, body) => {
    expect(() => parseScimUser(body)).toThrow(ScimError);
  });

  it('writes the resource with meta and the email as the primary email', () => {
    const now = new Date('2026-12-07T00:00:00Z');
    const r = toScimUser({ id: 'id1', userId: 'u1', userName: 'ada@example.com', externalId: null, givenName: 'Ada', familyName: null, displayName: null, active: true, createdAt: now, updatedAt: now, version: 2 }, 'https://x/v1/scim/v2');
    expect(r).toEqual({
      schemas: [USER_SCHEMA],
      id: 'id1',
      userName: 'ada@example.com',
      name: { givenName: 'Ada' },
      emails: [{ value: 'ada@example.com', primary: true, type: 'work' }],
      active: true,
      meta: { resourceType: 'User', created: now.toISOString(), lastModified: now.toISOString(), location: 'https://x/v1/scim/v2/Users/id1', version: 'W/"2"' },
    });
  });
});
