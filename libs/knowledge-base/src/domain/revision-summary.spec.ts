import { summariseChange } from './revision-summary';

describe('summariseChange', () => {
  it('names changed fields and counts body lines added and removed', () => {
    const summary = summariseChange({ title: 'A', body: 'one\ntwo\nthree', tags: ['x'] }, { title: 'B', body: 'one\nthree\nfour\nfive', tags: ['x'] });
    expect(summary).toEqual({ fields: ['title', 'body'], body: { linesAdded: 2, linesRemoved: 1, charsBefore: 13, charsAfter: 19 } });
  });

  it('treats the first revision as adding everything', () => {
    expect(summariseChange(null, { title: 'A', body: 'x\ny' })).toEqual({ fields: ['title', 'body'], body: { linesAdded: 2, linesRemoved: 0, charsBefore: 0, charsAfter: 3 } });
  });
});
