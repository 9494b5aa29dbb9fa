import { Controller, Get } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { ApiOperation } from '@nestjs/swagger';
import { Deprecated, deprecationHeaders } from './deprecation';

describe('Deprecated', () => {
  it('sends RFC 9745 Deprecation, RFC 8594 Sunset (end of the last day) and a successor-version Link', () => {
    expect(deprecationHeaders({ since: '2026-12-01', sunset: '2027-06-30', successor: '/v1/kb/search' })).toEqual([
      ['Deprecation', '@1796083200'],
      ['Sunset', 'Wed, 30 Jun 2027 23:59:59 GMT'],
      ['Link', '</v1/kb/search>; rel="successor-version"'],
    ]);
  });

  it('refuses impossible dates, a sunset before the deprecation and a successor that could break the header', () => {
    expect(() => deprecationHeaders({ since: '2026-02-30', sunset: '2027-01-01' })).toThrow(/since must be a date/);
    expect(() => deprecationHeaders({ since: '2026-12-01', sunset: 'next year' })).toThrow(/sunset must be a date/);
    expect(() => deprecationHeaders({ since: '2026-12-01', sunset: '2026-12-01' })).toThrow(/must come after/);
    expect(() => deprecationHeaders({ since: '2026-12-01', sunset: '2027-01-01', successor: '/v1/x>; rel="evil"' })).toThrow(/successor/);
    expect(() => deprecationHeaders({ since: '2026-12-01', sunset: '2027-01-01', successor: 'http://plain.example' })).toThrow(/successor/);
  });

  it('marks the whole operation deprecated in either decorator order and keeps its summary; field deprecations leave the operation alone', () => {
    @Controller('x')
    class Routes {
      @Get('a')
      @Deprecated({ since: '2026-12-01', sunset: '2027-01-01' })
      @ApiOperation({ summary: 'A' })
      a() {}

      @Get('b')
      @ApiOperation({ summary: 'B' })
      @Deprecated({ since: '2026-12-01', sunset: '2027-01-01', successor: '/v1/x/a' })
      b() {}

      @Get('c')
      @ApiOperation({ summary: 'C' })
      @Deprecated({ since: '2026-12-01', sunset: '2027-01-01', fields: ['old'] })
      c() {}
    }
    const op = (name: 'a' | 'b' | 'c') => Reflect.getMetadata(DECORATORS.API_OPERATION, Routes.prototype[name]);
    const ext = (name: 'a' | 'b' | 'c') => Reflect.getMetadata(DECORATORS.API_EXTENSION, Routes.prototype[name]);
    expect(op('a')).toMatchObject({ summary: 'A', deprecated: true });
    expect(op('b')).toMatchObject({ summary: 'B', deprecated: true });
    expect(op('c').deprecated).toBeUndefined();
    expect(ext('b')['x-deprecation']).toEqual({ since: '2026-12-01', sunset: '2027-01-01', successor: '/v1/x/a' });
    expect(ext('c')['x-deprecation']).toEqual({ since: '2026-12-01', sunset: '2027-01-01', fields: ['old'] });
  });
});
