import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertWinkEmbeddings, WinkScanner } from './wink-converter';
import { loadWordVectorTable, WORD_TABLE_FILE } from './word-vector-cache';
import { WordTableFormatError, WordVectorTable, WordVectorTableBuilder } from './word-vector-table';

/** A wink-shaped source: 3 dimensions, [d0, d1, d2, l2norm, rank] per word, in rank order. */
function winkSource(words: Array<[string, number[]]>): string {
  const vectors = Object.fromEntries(words.map(([w, v], rank) => [w, [...v, Math.hypot(...v), rank]]));
  return JSON.stringify({ precision: 8, l2NormIndex: 3, wordIndex: 4, size: words.length, dimensions: 3, words: words.map(([w]) => w), vectors, unkVector: [0, 0, 0, -1] });
}

const sample: Array<[string, number[]]> = [
  ['the', [0.1, 0.2, 0.3]],
  [',', [1, 0, 0]],
  ['"quoted"', [0, 1, 0]],
  ['back\\slash', [0, 0, 1]],
  ['vectors', [-2.5, 1.25, 0.5]],
  ['café', [0.5, -0.5, 0.25]],
  [']', [3, 2, 1]],
];

describe('WinkScanner', () => {
  it('reads every vectors entry, with escaped and odd keys, across arbitrary chunk boundaries', () => {
    const bytes = Buffer.from(winkSource(sample));
    for (const chunkSize of [1, 7, 64, bytes.length]) {
      const scanner = new WinkScanner();
      for (let i = 0; i < bytes.length; i += chunkSize) scanner.push(bytes.subarray(i, i + chunkSize));
      const table = WordVectorTable.fromBuffer(scanner.finish().build(bytes.length));
      expect(table.rows).toBe(sample.length);
      expect(table.dimensions).toBe(3);
      sample.forEach(([word, vector], row) => {
        expect(table.lookup(word)).toBe(row);
        expect(table.word(row)).toBe(word);
        [...table.vector(row)].forEach((v, i) => expect(v).toBeCloseTo(vector[i]!, 1));
      });
      expect(table.lookup('missing')).toBe(-1);
      expect(table.lookup('cafe')).toBe(-1);
    }
  });

  it('rejects a truncated source', () => {
    const scanner = new WinkScanner();
    scanner.push(Buffer.from(winkSource(sample)).subarray(0, 200));
    expect(() => scanner.finish()).toThrow(WordTableFormatError);
  });

  it('rejects a source that is not in frequency order', () => {
    const scanner = new WinkScanner();
    const json = winkSource(sample).replace('"the":[0.1,0.2,0.3,0.37416573867739417,0]', '"the":[0.1,0.2,0.3,0.37,9]');
    expect(() => scanner.push(Buffer.from(json))).toThrow(/frequency order/);
  });
});

describe('WordVectorTable file', () => {
  const build = () => {
    const builder = new WordVectorTableBuilder(3);
    sample.forEach(([w, v]) => builder.add(w, v));
    builder.add('the', [9, 9, 9]); // a duplicate keeps its first row
    return builder.build(1234);
  };

  it('round-trips, quantising each component to within 1/254 of the row maximum', () => {
    const table = WordVectorTable.fromBuffer(build());
    expect(table.rows).toBe(sample.length);
    expect(table.sourceBytes).toBe(1234);
    const v = table.vector(table.lookup('vectors'));
    expect(Math.abs(v[0]! + 2.5)).toBeLessThan(2.5 / 254 + 1e-6);
    expect(Math.abs(v[1]! - 1.25)).toBeLessThan(2.5 / 254 + 1e-6);
  });

  it('refuses corrupt, truncated or foreign files', () => {
    const file = build();
    const corrupt = Buffer.from(file);
    corrupt[corrupt.length - 5]! ^= 0xff;
    expect(() => WordVectorTable.fromBuffer(corrupt)).toThrow(/checksum/);
    expect(() => WordVectorTable.fromBuffer(file.subarray(0, file.length - 4))).toThrow(/truncated/);
    expect(() => WordVectorTable.fromBuffer(Buffer.from('{"precision":8}'.padEnd(200)))).toThrow(/magic/);
    expect(() => WordVectorTable.fromBuffer(Buffer.alloc(10))).toThrow(/truncated/);
  });
});

describe('loadWordVectorTable', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-wordvec-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('converts once even when several loaders start together, then reuses the file', async () => {
    const sourcePath = join(dir, 'source.json');
    await writeFile(sourcePath, winkSource(sample));
    const conversions: string[] = [];
    const options = { cacheDir: join(dir, 'cache'), sourcePath, onConvert: (m: string) => conversions.push(m) };
    const tables = await Promise.all([loadWordVectorTable(options), loadWordVectorTable(options), loadWordVectorTable(options)]);
    expect(conversions).toHaveLength(1);
    for (const table of tables) expect(table.lookup('café')).toBe(5);
    await loadWordVectorTable(options);
    expect(conversions).toHaveLength(1);
  });

  it('re-converts a corrupt or stale cache file and takes over a dead process lock', async () => {
    const sourcePath = join(dir, 'source.json');
    await writeFile(sourcePath, winkSource(sample));
    const conversions: string[] = [];
    const options = { cacheDir: join(dir, 'cache'), sourcePath, onConvert: (m: string) => conversions.push(m) };
    await loadWordVectorTable(options);
    const file = join(dir, 'cache', WORD_TABLE_FILE);
    await writeFile(file, (await readFile(file)).subarray(0, 100));
    // a lock left behind by a process that no longer exists
    await writeFile(`${file}.lock`, '2147483646\n');
    expect((await loadWordVectorTable(options)).rows).toBe(sample.length);
    // the source changed (another size): the cache is stale
    await writeFile(sourcePath, winkSource([...sample, ['extra', [1, 1, 1]]]));
    expect((await loadWordVectorTable(options)).rows).toBe(sample.length + 1);
    expect(conversions).toHaveLength(3);
  });

  it('says what is wrong when the source is missing', async () => {
    await expect(loadWordVectorTable({ cacheDir: dir, sourcePath: join(dir, 'nope.json') })).rejects.toThrow(/ENOENT|no such file/);
  });

  it('converts through the streaming reader', async () => {
    const sourcePath = join(dir, 'source.json');
    await writeFile(sourcePath, winkSource(sample));
    const { rows, file } = await convertWinkEmbeddings(sourcePath);
    expect(rows).toBe(sample.length);
    expect(WordVectorTable.fromBuffer(file).lookup('"quoted"')).toBe(2);
  });
});
