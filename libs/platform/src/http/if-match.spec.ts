import { etagOf, parseIfMatch, requireIfMatch, staleVersion } from './if-match';

const problemOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { problem: { status: number; detail: string; extensions?: unknown } }).problem;
  }
  return null;
};

describe('If-Match', () => {
  it('reads the version of a weak or strong ETag, and * as any current version', () => {
    expect(parseIfMatch('W/"3"')).toBe(3);
    expect(parseIfMatch(' "12" ')).toBe(12);
    expect(parseIfMatch('*')).toBeNull();
    expect(parseIfMatch(undefined)).toBeNull();
    expect(problemOf(() => parseIfMatch('3'))).toMatchObject({ status: 400, detail: expect.stringMatching(/or \* for any current version/) });
  });

  it('requires the header where a blind write is refused, * included', () => {
    expect(problemOf(() => requireIfMatch(undefined, 'ticket'))).toMatchObject({ status: 428, detail: expect.stringMatching(/ETag of the ticket you read/) });
    expect(requireIfMatch('*', 'ticket')).toBeNull();
    expect(requireIfMatch('W/"4"', 'ticket')).toBe(4);
  });

  it('names the current version and its ETag in a 412', () => {
    expect(problemOf(() => { throw staleVersion('contact', 2, 5); })).toEqual({
      status: 412,
      type: 'precondition-failed',
      title: 'Precondition Failed',
      detail: 'The contact changed since version 2; the current version is 5 (ETag W/"5"). Reload it and retry.',
      extensions: { currentVersion: 5 },
    });
    expect(etagOf(5)).toBe('W/"5"');
  });
});
