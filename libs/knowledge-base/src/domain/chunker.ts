import { createHash } from 'node:crypto';
import { markdownToText } from './markdown';

export interface Chunk {
  ordinal: number;
  /** Heading path of the section the chunk comes from, e.g. "Installation › Windows". */
  heading: string;
  content: string;
  /** What gets embedded: title, heading and content, so a retitled article re-embeds. */
  embeddingText: string;
  /** sha256 of embeddingText: an unchanged chunk keeps its vector. */
  hash: string;
}

export interface ChunkOptions {
  /** Upper bound of a chunk's content, in characters. */
  maxChars: number;
  /** Characters carried over from the end of the previous chunk of the same section. */
  overlapChars: number;
}

export const DEFAULT_CHUNKING: ChunkOptions = { maxChars: 1200, overlapChars: 200 };

interface Section {
  heading: string;
  blocks: string[];
}

/** Splits Markdown at ATX headings into sections of blocks (paragraphs, lists, fenced code kept whole). */
function sections(markdown: string): Section[] {
  const out: Section[] = [{ heading: '', blocks: [] }];
  const path: string[] = [];
  let block: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    const text = block.join('\n').trim();
    if (text) out[out.length - 1].blocks.push(text);
    block = [];
  };
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const fenceMatch = /^\s{0,3}(```|~~~)/.exec(line);
    if (fence) {
      block.push(line);
      if (fenceMatch && fenceMatch[1] === fence) {
        fence = null;
        flush();
      }
      continue;
    }
    if (fenceMatch) {
      flush();
      fence = fenceMatch[1];
      block.push(line);
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const level = heading[1].length;
      path.length = Math.min(path.length, level - 1);
      path[level - 1] = markdownToText(heading[2]) || heading[2];
      out.push({ heading: path.filter(Boolean).join(' › '), blocks: [] });
      continue;
    }
    if (line.trim() === '') flush();
    else block.push(line);
  }
  flush();
  return out.filter((s) => s.blocks.length > 0);
}

/** Cuts text longer than max at sentence ends, then at spaces, then anywhere. */
function split(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = Math.max(window.lastIndexOf('. '), window.lastIndexOf('\n'), window.lastIndexOf('? '), window.lastIndexOf('! '));
    if (cut < max * 0.5) cut = window.lastIndexOf(' ');
    if (cut < max * 0.3) cut = max - 1;
    pieces.push(rest.slice(0, cut + 1).trim());
    rest = rest.slice(cut + 1).trimStart();
  }
  if (rest.trim()) pieces.push(rest.trim());
  return pieces;
}

function tail(text: string, chars: number): string {
  if (chars <= 0 || text.length <= chars) return chars <= 0 ? '' : text;
  const slice = text.slice(text.length - chars);
  const space = slice.indexOf(' ');
  return (space >= 0 && space < slice.length - 1 ? slice.slice(space + 1) : slice).trim();
}

/**
 * Chunks an article for retrieval: by headings, then paragraphs packed up to `maxChars`, each
 * chunk after the first of a section starting with the end of the one before (overlap), so a
 * sentence cut at a boundary is still whole in one of them.
 */
export function chunkArticle(title: string, markdown: string, options: ChunkOptions = DEFAULT_CHUNKING): Chunk[] {
  const budget = Math.max(200, options.maxChars);
  const overlap = Math.min(options.overlapChars, Math.floor(budget / 3));
  const chunks: Omit<Chunk, 'ordinal' | 'embeddingText' | 'hash'>[] = [];
  for (const section of sections(markdown)) {
    const texts = section.blocks.map((b) => markdownToText(b)).filter(Boolean).flatMap((t) => split(t, budget - overlap));
    let current = '';
    let carried = false;
    for (const text of texts) {
      if (current && current.length + 2 + text.length > budget) {
        chunks.push({ heading: section.heading, content: current });
        current = tail(current, overlap);
        carried = current.length > 0;
      }
      current = current ? `${current}\n\n${text}` : text;
      carried = false;
    }
    if (current && !carried) chunks.push({ heading: section.heading, content: current });
  }
  if (chunks.length === 0) chunks.push({ heading: '', content: markdownToText(markdown) || title });
  return chunks.map((c, ordinal) => {
    const embeddingText = [title, c.heading, c.content].filter(Boolean).join('\n');
    return { ...c, ordinal, embeddingText, hash: createHash('sha256').update(embeddingText).digest('hex') };
  });
}
