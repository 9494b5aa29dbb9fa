import { checkInputShape, MAX_INPUT_DEPTH } from './validation';

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
