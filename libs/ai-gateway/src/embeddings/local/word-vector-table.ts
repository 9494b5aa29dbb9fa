import { createHash } from 'node:crypto';

/**
 * A compact, read-only word-vector table: Int8 components with one Float32 scale per word, the
 * words as one UTF-8 blob, and an open-addressing hash table from word to row, so that loading is
 * a single `readFile` and a few typed-array views (no per-word JS objects, a small heap).
 *
 * File layout (little endian), every section 4-byte aligned:
 *   header (96 bytes): magic "SBWV", format version, rows, dimensions, hash slots, blob bytes,
 *                      source bytes (the converted file's size, to notice a changed package),
 *                      principal components stored, then (at 64) the SHA-256 of everything after
 *                      the header
 *   scales   f32[rows]            component i of row r = vectors[r*dims+i] * scales[r]
 *   offsets  u32[rows+1]          row r's word = blob[offsets[r] .. offsets[r+1])
 *   slots    i32[slots]           -1 = empty, else a row; linear probing on FNV-1a of the UTF-8 word
 *   common   f32[dims*(1+pcs)]    the mean of the most frequent words' vectors, then the top
 *                                 principal directions around it ("all-but-the-top", Mu &
 *                                 Viswanath 2018): directions every word shares, which make all
 *                                 averaged sentence vectors look alike unless removed
 *   vectors  i8[rows*dims]
 *   blob     u8[blobBytes] (+ padding)
 *
 * Rows are in the source's order, which for GloVe-derived vocabularies is frequency order: the
 * row number doubles as the word's frequency rank.
 */
export const WORD_TABLE_MAGIC = 0x56574253; // "SBWV"
export const WORD_TABLE_FORMAT_VERSION = 2;
const HEADER_BYTES = 96;
const HASH_OFFSET = 64;
/** How many frequent words the common directions are estimated from. */
const COMMON_SAMPLE_ROWS = 30_000;
const STORED_COMPONENTS = 3;

export class WordTableFormatError extends Error {
  override name = 'WordTableFormatError';
}

const align4 = (n: number) => (n + 3) & ~3;

/** FNV-1a over bytes; the same function the file's hash slots were filled with. */
export function fnv1a(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface WordTableHeader {
  formatVersion: number;
  rows: number;
  dimensions: number;
  slots: number;
  blobBytes: number;
  sourceBytes: number;
  components: number;
}

export function readWordTableHeader(buffer: Uint8Array): WordTableHeader {
  if (buffer.byteLength < HEADER_BYTES) throw new WordTableFormatError('word-vector file is truncated (no header)');
  const view = new DataView(buffer.buffer, buffer.byteOffset, HEADER_BYTES);
  if (view.getUint32(0, true) !== WORD_TABLE_MAGIC) throw new WordTableFormatError('not a word-vector file (bad magic)');
  return {
    formatVersion: view.getUint32(4, true),
    rows: view.getUint32(8, true),
    dimensions: view.getUint32(12, true),
    slots: view.getUint32(16, true),
    blobBytes: view.getUint32(20, true),
    sourceBytes: view.getFloat64(24, true),
    components: view.getUint32(32, true),
  };
}

export class WordVectorTable {
  readonly rows: number;
  readonly dimensions: number;
  readonly sourceBytes: number;
  private readonly scales: Float32Array;
  private readonly offsets: Uint32Array;
  private readonly slots: Int32Array;
  private readonly vectors: Int8Array;
  private readonly blob: Uint8Array;
  private readonly mask: number;
  /** Mean of the frequent words' vectors. */
  readonly mean: Float32Array;
  /** Unit principal directions around the mean, strongest first. */
  readonly components: Float32Array[];

  private constructor(buffer: Uint8Array, header: WordTableHeader) {
    this.rows = header.rows;
    this.dimensions = header.dimensions;
    this.sourceBytes = header.sourceBytes;
    // Typed views need aligned offsets; a Buffer from readFile of a large file starts at 0.
    const bytes = buffer.byteOffset % 4 === 0 ? buffer : new Uint8Array(buffer);
    let at = bytes.byteOffset + HEADER_BYTES;
    const ab = bytes.buffer;
    this.scales = new Float32Array(ab, at, header.rows);
    at += header.rows * 4;
    this.offsets = new Uint32Array(ab, at, header.rows + 1);
    at += (header.rows + 1) * 4;
    this.slots = new Int32Array(ab, at, header.slots);
    at += header.slots * 4;
    this.mean = new Float32Array(ab, at, header.dimensions);
    at += header.dimensions * 4;
    this.components = [];
    for (let k = 0; k < header.components; k++, at += header.dimensions * 4) this.components.push(new Float32Array(ab, at, header.dimensions));
    this.vectors = new Int8Array(ab, at, header.rows * header.dimensions);
    at += align4(header.rows * header.dimensions);
    this.blob = new Uint8Array(ab, at, header.blobBytes);
    this.mask = header.slots - 1;
  }

  /** Parses and verifies (size and SHA-256) a table file's bytes. */
  static fromBuffer(buffer: Uint8Array, options: { verify?: boolean } = {}): WordVectorTable {
    const header = readWordTableHeader(buffer);
    if (header.formatVersion !== WORD_TABLE_FORMAT_VERSION) {
      throw new WordTableFormatError(`word-vector file has format ${header.formatVersion}, expected ${WORD_TABLE_FORMAT_VERSION}`);
    }
    if (header.slots === 0 || (header.slots & (header.slots - 1)) !== 0) throw new WordTableFormatError('word-vector file has a bad slot count');
    const expected = expectedFileBytes(header);
    if (buffer.byteLength !== expected) {
      throw new WordTableFormatError(`word-vector file is ${buffer.byteLength} bytes, expected ${expected} (truncated or corrupt)`);
    }
    if (options.verify !== false) {
      const digest = createHash('sha256').update(buffer.subarray(HEADER_BYTES)).digest();
      if (!digest.equals(buffer.subarray(HASH_OFFSET, HASH_OFFSET + 32))) throw new WordTableFormatError('word-vector file checksum mismatch (corrupt)');
    }
    return new WordVectorTable(buffer, header);
  }

  /** Row of `word`, or -1. ASCII words are hashed and compared without encoding them. */
  lookup(word: string): number {
    let ascii = true;
    for (let i = 0; i < word.length; i++) {
      if (word.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (!ascii) return this.lookupBytes(Buffer.from(word, 'utf8'));
    let h = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) {
      h ^= word.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    let slot = (h >>> 0) & this.mask;
    for (;;) {
      const row = this.slots[slot]!;
      if (row < 0) return -1;
      const start = this.offsets[row]!;
      const end = this.offsets[row + 1]!;
      if (end - start === word.length) {
        let same = true;
        for (let i = 0; i < word.length; i++) {
          if (this.blob[start + i] !== word.charCodeAt(i)) {
            same = false;
            break;
          }
        }
        if (same) return row;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private lookupBytes(bytes: Uint8Array): number {
    let slot = fnv1a(bytes) & this.mask;
    for (;;) {
      const row = this.slots[slot]!;
      if (row < 0) return -1;
      const start = this.offsets[row]!;
      const end = this.offsets[row + 1]!;
      if (end - start === bytes.length && Buffer.compare(this.blob.subarray(start, end), bytes) === 0) return row;
      slot = (slot + 1) & this.mask;
    }
  }

  word(row: number): string {
    return Buffer.from(this.blob.buffer, this.blob.byteOffset + this.offsets[row]!, this.offsets[row + 1]! - this.offsets[row]!).toString('utf8');
  }

  /** Adds `weight` × row's vector into `into` (length ≥ dimensions). */
  addScaled(row: number, weight: number, into: Float64Array): void {
    const scale = this.scales[row]! * weight;
    const base = row * this.dimensions;
    for (let i = 0; i < this.dimensions; i++) into[i]! += this.vectors[base + i]! * scale;
  }

  vector(row: number): Float32Array {
    const out = new Float64Array(this.dimensions);
    this.addScaled(row, 1, out);
    return Float32Array.from(out);
  }
}

function expectedFileBytes(h: WordTableHeader): number {
  return HEADER_BYTES + h.rows * 4 + (h.rows + 1) * 4 + h.slots * 4 + h.dimensions * (1 + h.components) * 4 + align4(h.rows * h.dimensions) + align4(h.blobBytes);
}

/** Accumulates rows (in frequency order) and serialises them in the format above. */
export class WordVectorTableBuilder {
  private scales = new Float32Array(1024);
  private vectors: Int8Array;
  private words: Buffer[] = [];
  private blobBytes = 0;
  private readonly seen = new Set<string>();

  constructor(readonly dimensions: number) {
    this.vectors = new Int8Array(1024 * dimensions);
  }

  get rows(): number {
    return this.words.length;
  }

  /** Quantises `values` to Int8 with a per-row scale. Duplicate words keep their first row. */
  add(word: string, values: ArrayLike<number>): void {
    if (values.length < this.dimensions) throw new WordTableFormatError(`vector for "${word}" has ${values.length} components, expected ${this.dimensions}`);
    if (this.seen.has(word)) return;
    this.seen.add(word);
    const row = this.words.length;
    if (row === this.scales.length) {
      const scales = new Float32Array(row * 2);
      scales.set(this.scales);
      this.scales = scales;
      const vectors = new Int8Array(row * 2 * this.dimensions);
      vectors.set(this.vectors);
      this.vectors = vectors;
    }
    let maxAbs = 0;
    for (let i = 0; i < this.dimensions; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]!));
    const scale = maxAbs === 0 ? 0 : maxAbs / 127;
    this.scales[row] = scale;
    const base = row * this.dimensions;
    for (let i = 0; i < this.dimensions; i++) this.vectors[base + i] = scale === 0 ? 0 : Math.round(values[i]! / scale);
    const bytes = Buffer.from(word, 'utf8');
    this.words.push(bytes);
    this.blobBytes += bytes.length;
  }

  build(sourceBytes: number): Buffer {
    const rows = this.words.length;
    let slots = 1;
    while (slots < rows * 2) slots *= 2;
    const { mean, components } = commonDirections(this.scales, this.vectors, Math.min(rows, COMMON_SAMPLE_ROWS), this.dimensions, STORED_COMPONENTS);
    const header: WordTableHeader = { formatVersion: WORD_TABLE_FORMAT_VERSION, rows, dimensions: this.dimensions, slots, blobBytes: this.blobBytes, sourceBytes, components: components.length };
    const out = Buffer.alloc(expectedFileBytes(header));
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    view.setUint32(0, WORD_TABLE_MAGIC, true);
    view.setUint32(4, WORD_TABLE_FORMAT_VERSION, true);
    view.setUint32(8, rows, true);
    view.setUint32(12, this.dimensions, true);
    view.setUint32(16, slots, true);
    view.setUint32(20, this.blobBytes, true);
    view.setFloat64(24, sourceBytes, true);
    view.setUint32(32, components.length, true);
    let at = HEADER_BYTES;
    for (let r = 0; r < rows; r++) view.setFloat32(at + r * 4, this.scales[r]!, true);
    at += rows * 4;
    const offsetsAt = at;
    at += (rows + 1) * 4;
    const slotsAt = at;
    for (let s = 0; s < slots; s++) view.setInt32(slotsAt + s * 4, -1, true);
    at += slots * 4;
    for (const direction of [mean, ...components]) {
      for (let i = 0; i < this.dimensions; i++) view.setFloat32(at + i * 4, direction[i]!, true);
      at += this.dimensions * 4;
    }
    out.set(new Uint8Array(this.vectors.buffer, this.vectors.byteOffset, rows * this.dimensions), at);
    at += align4(rows * this.dimensions);
    let blobAt = 0;
    for (let r = 0; r < rows; r++) {
      const word = this.words[r]!;
      view.setUint32(offsetsAt + r * 4, blobAt, true);
      out.set(word, at + blobAt);
      blobAt += word.length;
      let slot = fnv1a(word) & (slots - 1);
      while (view.getInt32(slotsAt + slot * 4, true) !== -1) slot = (slot + 1) & (slots - 1);
      view.setInt32(slotsAt + slot * 4, r, true);
    }
    view.setUint32(offsetsAt + rows * 4, blobAt, true);
    createHash('sha256').update(out.subarray(HEADER_BYTES)).digest().copy(out, HASH_OFFSET);
    return out;
  }
}

/**
 * The mean of the first `sample` rows and the top `count` principal directions of those rows
 * around it (covariance + power iteration with deflation; deterministic start).
 */
function commonDirections(scales: Float32Array, vectors: Int8Array, sample: number, dims: number, count: number): { mean: Float64Array; components: Float64Array[] } {
  const mean = new Float64Array(dims);
  const row = new Float64Array(dims);
  for (let r = 0; r < sample; r++) for (let i = 0; i < dims; i++) mean[i]! += (vectors[r * dims + i]! * scales[r]!) / sample;
  const cov = new Float64Array(dims * dims);
  for (let r = 0; r < sample; r++) {
    for (let i = 0; i < dims; i++) row[i] = vectors[r * dims + i]! * scales[r]! - mean[i]!;
    for (let i = 0; i < dims; i++) {
      const vi = row[i]!;
      if (vi === 0) continue;
      for (let j = 0; j < dims; j++) cov[i * dims + j]! += vi * row[j]!;
    }
  }
  const components: Float64Array[] = [];
  for (let k = 0; k < Math.min(count, dims); k++) {
    let u = new Float64Array(dims).fill(1 / Math.sqrt(dims));
    let lambda = 0;
    for (let iteration = 0; iteration < 200; iteration++) {
      const next = new Float64Array(dims);
      for (let i = 0; i < dims; i++) {
        let sum = 0;
        for (let j = 0; j < dims; j++) sum += cov[i * dims + j]! * u[j]!;
        next[i] = sum;
      }
      const length = Math.hypot(...next);
      if (length === 0) break;
      lambda = length;
      u = next.map((v) => v / length);
    }
    if (lambda === 0) break;
    for (let i = 0; i < dims; i++) for (let j = 0; j < dims; j++) cov[i * dims + j]! -= lambda * u[i]! * u[j]!;
    components.push(u);
  }
  return { mean, components };
}
