import { ChartCache } from './chart-cache';

describe('ChartCache', () => {
  it('keeps the most recently used charts within its entry limit', () => {
    const cache = new ChartCache(2, 1000);
    cache.set('a', '<svg>a</svg>');
    cache.set('b', '<svg>b</svg>');
    expect(cache.get('a')).toBe('<svg>a</svg>'); // a is now the most recent
    cache.set('c', '<svg>c</svg>');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('<svg>a</svg>');
    expect(cache.get('c')).toBe('<svg>c</svg>');
    expect(cache.size).toBe(2);
  });

  it('keeps its total size within the byte limit and never holds a chart larger than it', () => {
    const cache = new ChartCache(10, 25);
    cache.set('a', 'x'.repeat(10));
    cache.set('b', 'y'.repeat(10));
    cache.set('c', 'z'.repeat(10));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(2);
    cache.set('huge', 'h'.repeat(26));
    expect(cache.get('huge')).toBeUndefined();
    cache.set('b', 'y'.repeat(20)); // replacing an entry counts its new size only
    expect(cache.get('c')).toBeUndefined();
    expect(cache.get('b')).toBe('y'.repeat(20));
  });
});
