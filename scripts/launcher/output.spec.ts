import { formatLine, LineSplitter } from './output';

describe('formatLine', () => {
  it('prefixes the line with a padded tag', () => {
    expect(formatLine('api', 'listening', false)).toBe('[api]     listening');
    expect(formatLine('migrate', 'done', false)).toBe('[migrate] done');
  });

  it('lines up the text of every tag', () => {
    const starts = (['api', 'worker', 'db', 'redis', 'migrate', 'seed', 'start'] as const).map((tag) =>
      formatLine(tag, 'x', false).indexOf('x'),
    );
    expect(new Set(starts).size).toBe(1);
  });

  it('colours only the tag, and only when asked to', () => {
    const line = formatLine('worker', 'ready', true);
    expect(line).toBe('\x1b[35m[worker] \x1b[0m ready');
    expect(formatLine('worker', 'ready', false)).not.toContain('\x1b[');
  });
});

describe('LineSplitter', () => {
  it('returns whole lines and keeps a partial one for later', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('one\ntw')).toEqual(['one']);
    expect(splitter.push('o\nthree')).toEqual(['two']);
    expect(splitter.push('\n')).toEqual(['three']);
    expect(splitter.flush()).toEqual([]);
  });

  it('handles CRLF and empty lines', () => {
    expect(new LineSplitter().push('a\r\n\r\nb\n')).toEqual(['a', '', 'b']);
  });

  it('gives the unterminated last line on flush, once', () => {
    const splitter = new LineSplitter();
    splitter.push('no newline');
    expect(splitter.flush()).toEqual(['no newline']);
    expect(splitter.flush()).toEqual([]);
  });
});
