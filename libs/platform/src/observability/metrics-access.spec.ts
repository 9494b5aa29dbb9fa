import { metricsAccess } from './metrics-access';

describe('metricsAccess', () => {
  it('lets anyone scrape without a token', () => {
    expect(metricsAccess(undefined)(undefined)).toBeNull();
    expect(metricsAccess(undefined)('Bearer whatever')).toBeNull();
  });

  it('with a token, lets only its bearer scrape', () => {
    const check = metricsAccess('metrics-token-0123456789abcdef');
    expect(check('Bearer metrics-token-0123456789abcdef')).toBeNull();
    expect(check('bearer metrics-token-0123456789abcdef')).toBeNull();
    expect(check(undefined)).toMatch(/Authorization: Bearer/);
    expect(check('Basic bWV0cmljczp4')).toMatch(/Authorization: Bearer/);
    expect(check('Bearer metrics-token-0123456789abcdeF')).toMatch(/not the metrics token/);
    expect(check(`Bearer ${'x'.repeat(5000)}`)).toMatch(/Authorization: Bearer/);
  });
});
