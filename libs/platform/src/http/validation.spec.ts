import { getMetadataStorage, IsInt, IsString, Min, validate } from 'class-validator';
import { checkInputShape, MAX_INPUT_DEPTH, rememberValidationRules } from './validation';

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
