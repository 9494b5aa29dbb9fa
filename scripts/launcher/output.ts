import type { Readable } from 'node:stream';

export type Tag = 'start' | 'db' | 'redis' | 'migrate' | 'seed' | 'api' | 'worker';

const TAG_COLORS: Record<Tag, string> = {
  start: '1', // bold
  db: '34', // blue
  redis: '31', // red
  migrate: '33', // yellow
  seed: '32', // green
  api: '36', // cyan
  worker: '35', // magenta
};

/** Wide enough for the longest tag, so that the lines of all processes start in one column. */
const TAG_WIDTH = Math.max(...Object.keys(TAG_COLORS).map((t) => t.length)) + 2;

export function formatLine(tag: Tag, line: string, color: boolean): string {
  const label = `[${tag}]`.padEnd(TAG_WIDTH);
  return color ? `\x1b[${TAG_COLORS[tag]}m${label}\x1b[0m ${line}` : `${label} ${line}`;
}

/** Turns chunks of a byte stream into whole lines; a partial line waits for the rest of it. */
export class LineSplitter {
  private pending = '';

  push(chunk: string): string[] {
    const parts = (this.pending + chunk).split(/\r?\n/);
    this.pending = parts.pop() ?? '';
    return parts;
  }

  /** The unterminated last line, if any (call when the stream ends). */
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? [] : [rest];
  }
}

export interface Output {
  info(tag: Tag, line: string): void;
  error(tag: Tag, line: string): void;
  /** Unprefixed text, e.g. the banner. */
  raw(text: string): void;
  readonly color: boolean;
}

export function createConsoleOutput(colorAllowed: boolean): Output {
  const color = colorAllowed && process.stdout.isTTY === true;
  return {
    color,
    info: (tag, line) => process.stdout.write(`${formatLine(tag, line, color)}\n`),
    error: (tag, line) => process.stderr.write(`${formatLine(tag, line, color)}\n`),
    raw: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  };
}

/** Calls onLine for every line of the stream; resolves when the stream has ended. */
export function forEachLine(stream: Readable, onLine: (line: string) => void): Promise<void> {
  const splitter = new LineSplitter();
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => splitter.push(chunk).forEach(onLine));
  return new Promise((resolve) => {
    const finish = () => {
      splitter.flush().forEach(onLine);
      resolve();
    };
    stream.once('end', finish);
    stream.once('error', finish);
  });
}
