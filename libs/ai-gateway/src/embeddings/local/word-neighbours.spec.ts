import { WordNeighbours, NEIGHBOUR_MAX_RANK } from './word-neighbours';
import { WordVectorTable, WordVectorTableBuilder } from './word-vector-table';

/** Words in frequency order with 3-d vectors: phone ≈ handset, heating ≈ radiator, invoice apart. */
function table(): WordVectorTable {
  const builder = new WordVectorTableBuilder(3);
  const rows: Array<[string, number[]]> = [
    ['the', [0.1, 0.1, 0.1]],
    ['phone', [1, 0.1, 0]],
    ['heating', [0, 1, 0.1]],
    ['invoice', [0, 0, 1]],
    ['handset', [0.9, 0.2, 0]],
    ['radiator', [0.1, 0.9, 0]],
  ];
  for (const [word, vector] of rows) builder.add(word, vector);
  return WordVectorTable.fromBuffer(builder.build(0));
}

describe('WordNeighbours', () => {
  const neighbours = new WordNeighbours(async () => table());

  it('finds the nearest words of a chosen vocabulary, nearest first, above the similarity floor', async () => {
    const vocabulary = await neighbours.vocabulary(['phone', 'heating', 'invoice', 'not-a-word']);
    expect(vocabulary.words).toEqual(['phone', 'heating', 'invoice']);
    const near = await neighbours.nearest('handset', vocabulary, 2, 0.5);
    expect(near.map((n) => n.word)).toEqual(['phone']);
    expect(near[0]!.similarity).toBeGreaterThan(0.9);
    expect((await neighbours.nearest('radiator', vocabulary, 3, -1)).map((n) => n.word)[0]).toBe('heating');
  });

  it('gives nothing for a word the table lacks, for k 0, and never the word itself', async () => {
    const vocabulary = await neighbours.vocabulary(['phone', 'handset']);
    expect(await neighbours.nearest('unknown', vocabulary, 3, 0)).toEqual([]);
    expect(await neighbours.nearest('handset', vocabulary, 0, 0)).toEqual([]);
    expect((await neighbours.nearest('handset', vocabulary, 3, -1)).map((n) => n.word)).toEqual(['phone']);
  });

  it('reports frequency ranks, and loads the table again after a failed load', async () => {
    expect(await neighbours.rank('the')).toBe(0);
    expect(await neighbours.rank('radiator')).toBe(5);
    expect(NEIGHBOUR_MAX_RANK).toBeGreaterThan(5);
    let calls = 0;
    const flaky = new WordNeighbours(async () => {
      calls++;
      if (calls === 1) throw new Error('not prepared yet');
      return table();
    });
    await expect(flaky.rank('phone')).rejects.toThrow('not prepared yet');
    expect(await flaky.rank('phone')).toBe(1);
  });
});
