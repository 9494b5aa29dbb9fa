import { paging } from './scim-list-users.handler';

describe('SCIM paging (RFC 7644 §3.4.2.4)', () => {
  it('defaults to the first 100', () => {
    expect(paging({})).toEqual({ startIndex: 1, count: 100 });
  });

  it('reads startIndex below 1 as 1, a negative count as 0, and caps count at 100', () => {
    expect(paging({ startIndex: '0', count: '-3' })).toEqual({ startIndex: 1, count: 0 });
    expect(paging({ startIndex: '7', count: '5000' })).toEqual({ startIndex: 7, count: 100 });
  });

  it('refuses what is not an integer with a 400 invalidValue', () => {
    for (const bad of [{ count: 'ten' }, { startIndex: '1.5' }, { count: '1e3' }]) expect(() => paging(bad)).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidValue' }));
  });
});
