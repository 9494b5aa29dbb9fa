import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParseUuidPipe } from './parse-uuid.pipe';

describe('ParseUuidPipe', () => {
  const pipe = new ParseUuidPipe();
  const problemOf = (value: unknown, data?: string) => {
    try {
      pipe.transform(value, { type: 'param', data });
    } catch (error) {
      return (error as { problem: unknown }).problem;
    }
    return null;
  };

  it('passes a UUID of any version, and the nil UUID', () => {
    for (const id of ['6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11', '0190f5a4-7c2e-7b3e-8a6b-3f1d2c4b5a69', '00000000-0000-0000-0000-000000000000']) {
      expect(pipe.transform(id, { type: 'param', data: 'id' })).toBe(id);
    }
  });

  it('names the parameter of a malformed one, as a field error', () => {
    expect(problemOf('not-a-uuid', 'contactId')).toEqual({
      status: 400,
      type: 'validation-failed',
      title: 'Bad Request',
      detail: 'contactId: must be a UUID.',
      errors: [{ field: 'contactId', message: 'must be a UUID' }],
    });
    expect(problemOf('6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a1', 'id')).toMatchObject({ detail: 'id: must be a UUID.' });
    expect(problemOf(undefined)).toMatchObject({ errors: [{ field: 'id', message: 'must be a UUID' }] });
  });

  it("is the only UUID pipe controllers use (Nest's names no parameter)", () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && /\bParseUUIDPipe\b[^.]*from '@nestjs\/common'|@Param\([^)]*ParseUUIDPipe/.test(readFileSync(path, 'utf8'))) offenders.push(path);
      }
    };
    for (const root of ['libs', 'apps']) walk(join(process.cwd(), root));
    expect(offenders).toEqual([]);
  });
});
