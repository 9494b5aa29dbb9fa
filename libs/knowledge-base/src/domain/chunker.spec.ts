import { chunkArticle } from './chunker';

describe('chunkArticle', () => {
  it('splits at headings and keeps the heading path with each chunk', () => {
    const chunks = chunkArticle('Printers', '# Setup\n\nPlug it in.\n\n## Windows\n\nInstall the driver.\n\n# Troubleshooting\n\nTurn it off and on.');
    expect(chunks.map((c) => [c.heading, c.content])).toEqual([
      ['Setup', 'Plug it in.'],
      ['Setup › Windows', 'Install the driver.'],
      ['Troubleshooting', 'Turn it off and on.'],
    ]);
    expect(chunks.map((c) => c.ordinal)).toEqual([0, 1, 2]);
    expect(chunks[1].embeddingText).toBe('Printers\nSetup › Windows\nInstall the driver.');
  });

  it('bounds chunk size and overlaps consecutive chunks of a section', () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} talks about the boiler pressure gauge and the valve number ${i}.`);
    const chunks = chunkArticle('Boilers', paragraphs.join('\n\n'), { maxChars: 400, overlapChars: 80 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.content.length).toBeLessThanOrEqual(400);
    for (let i = 1; i < chunks.length; i++) {
      const previousEnd = chunks[i - 1].content.slice(-40);
      expect(chunks[i].content).toContain(previousEnd.slice(previousEnd.indexOf(' ') + 1));
    }
    const all = chunks.map((c) => c.content).join(' ');
    for (const p of paragraphs) expect(all).toContain(p);
  });

  it('cuts a single huge paragraph at sentence or word boundaries', () => {
    const text = 'word '.repeat(2000).trim();
    const chunks = chunkArticle('Long', text, { maxChars: 500, overlapChars: 50 });
    for (const c of chunks) {
      expect(c.content.length).toBeLessThanOrEqual(500);
      expect(c.content).not.toMatch(/\bwor\b|\bwo\b/);
    }
  });

  it('keeps fenced code blocks whole, even with blank lines and hashes inside', () => {
    const chunks = chunkArticle('Code', 'Intro.\n\n```bash\n# not a heading\n\necho hi\n```\n\nAfter.');
    expect(chunks).toHaveLength(1);
    expect(chunks[0].heading).toBe('');
    expect(chunks[0].content).toContain('# not a heading');
  });

  it('gives the same hash to unchanged text and a new one when the title changes', () => {
    const a = chunkArticle('Title', 'Body text.');
    const b = chunkArticle('Title', 'Body text.');
    const c = chunkArticle('Other title', 'Body text.');
    expect(a[0].hash).toBe(b[0].hash);
    expect(c[0].hash).not.toBe(a[0].hash);
  });

  it('strips Markdown syntax and HTML from chunk text', () => {
    const [chunk] = chunkArticle('T', 'Click **Save** and see [the docs](https://example.com).<script>alert(1)</script>');
    expect(chunk.content).toBe('Click Save and see the docs.');
  });
});
