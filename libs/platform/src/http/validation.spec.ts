import { Type } from 'class-transformer';
import { getMetadataStorage, IsDefined, IsEmail, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested, validate } from 'class-validator';
import { MULTIPART_BODY, refuseUnreadableBody } from './content-type';
import { checkInputShape, createValidationPipe, MAX_INPUT_DEPTH, rememberValidationRules } from './validation';

const problem = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return (error as { problem: { detail: string; errors: { field: string }[] } }).problem;
  }
  return null;
};

describe('checkInputShape', () => {
  it('passes ordinary input', () => {
    expect(problem(() => checkInputShape({ messages: [{ role: 'user', content: 'hi' }], n: 1, ok: true, none: null }))).toBeNull();
  });

  it('refuses a NUL character in a value or a key, naming where', () => {
    expect(problem(() => checkInputShape({ messages: [{ role: 'user', content: 'a\u0000b' }] }))).toMatchObject({ errors: [{ field: 'messages.0.content' }] });
    expect(problem(() => checkInputShape({ features: { ['x\u0000']: 1 } }))?.detail).toMatch(/^features: has a key with a NUL/);
  });

  it('refuses nesting deeper than the limit without recursing (100,000 levels)', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(problem(() => checkInputShape({ budget: deep }))?.detail).toMatch(/nested too deeply/);
    let ok: unknown = 'leaf';
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i++) ok = { a: ok };
    expect(problem(() => checkInputShape(ok))).toBeNull();
  });
});

class Named {
  @IsString() name: string;
}

class Counted extends Named {
  @IsInt() @Min(1) count: number;
}

describe('rememberValidationRules', () => {
  it('validates as before, inherited rules included, finding a class\'s rules only once', async () => {
    const storage = getMetadataStorage();
    rememberValidationRules(storage);
    rememberValidationRules(storage); // idempotent: no second layer
    const invalid = await validate(Object.assign(new Counted(), { name: 5, count: 0 }));
    expect(invalid.map((e) => e.property).sort()).toEqual(['count', 'name']);
    expect(await validate(Object.assign(new Counted(), { name: 'x', count: 2 }))).toEqual([]);
    const rules = storage.getTargetValidationMetadatas(Counted, '', false, false);
    expect(rules.map((r) => r.propertyName).sort()).toEqual(['count', 'count', 'name']);
    expect(storage.getTargetValidationMetadatas(Counted, '', false, false)).toBe(rules);
    expect(storage.groupByPropertyName(rules)).toBe(storage.groupByPropertyName(rules));
    // Other options are another answer.
    expect(storage.getTargetValidationMetadatas(Counted, '', false, false, ['admin'])).not.toBe(rules);
    expect(storage.getTargetValidationMetadatas(Named, '', false, false).map((r) => r.propertyName)).toEqual(['name']);
  });
});

class Owner {
  @IsEmail() @MaxLength(320) email: string;
  @IsString() @MinLength(12) @MaxLength(256) password: string;
}

class Signup {
  @IsString() @MaxLength(200) name: string;
  @IsInt() @Min(1) @Max(10) seats: number;
  @IsOptional() @IsString() @MaxLength(20) note?: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => Owner) owner: Owner;
}

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const errorsOf = async (body: unknown) => {
    try {
      await pipe.transform(body, { type: 'body', metatype: Signup });
    } catch (error) {
      return (error as { problem: { detail: string; errors: { field: string; message: string }[] } }).problem;
    }
    return null;
  };

  it('reports a missing field once, as required, not as a length or type failure', async () => {
    const problem = await errorsOf({ name: 'Acme', seats: 2, owner: { email: 'a@example.com' } });
    expect(problem).toMatchObject({ detail: 'owner.password: is required.', errors: [{ field: 'owner.password', message: 'is required' }] });
  });

  it('reports one message per field, naming the first rule as written (type before length or range)', async () => {
    const problem = await errorsOf({ name: 5, seats: 'many', note: 'x'.repeat(21), owner: { email: 'nope', password: 'short' } });
    expect(problem?.errors).toEqual([
      { field: 'name', message: 'must be a string' },
      { field: 'seats', message: 'must be an integer number' },
      { field: 'note', message: 'must be shorter than or equal to 20 characters' },
      { field: 'owner.email', message: 'must be an email' },
      { field: 'owner.password', message: 'must be longer than or equal to 12 characters' },
    ]);
    expect(problem?.detail).toBe('5 fields are invalid: name, seats, note, owner.email, owner.password.');
  });

  it('names a missing nested object, a null and an unknown property', async () => {
    const problem = await errorsOf({ name: null, seats: 0, extra: 1 });
    expect(problem?.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'must not be null' },
        { field: 'seats', message: 'must not be less than 1' },
        { field: 'owner', message: 'is required' },
        { field: 'extra', message: 'should not exist' },
      ]),
    );
    expect(problem?.errors).toHaveLength(4);
  });

  it('passes a valid body', async () => {
    expect(await errorsOf({ name: 'Acme', seats: 2, owner: { email: 'a@example.com', password: 'long enough pass' } })).toBeNull();
  });
});

describe('a multipart body on a JSON endpoint', () => {
  it('is marked before the JSON parser, and refused with 415 by body validation', async () => {
    const req = { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': '120' } } as never as { body?: unknown };
    refuseUnreadableBody(req as never);
    expect(req.body).toBe(MULTIPART_BODY);
    const json = { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '2' } } as never as { body?: unknown };
    refuseUnreadableBody(json as never);
    expect(json.body).toBeUndefined();
    await expect(Promise.resolve().then(() => createValidationPipe().transform(MULTIPART_BODY, { type: 'body', metatype: Signup }))).rejects.toMatchObject({ problem: { status: 415, type: 'unsupported-media-type' } });
  });
});
