import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The seed prints demo credentials only when it creates the demo tenant, i.e. on the first start.
 * They are kept in the data dir so later starts can show them again, tied to the database they
 * belong to (a different DATABASE_URL gets its own seed run and output).
 */
interface Remembered {
  database: string;
  lines: string[];
}

function fileFor(dataDir: string): string {
  return join(dataDir, 'demo-credentials.json');
}

export function rememberSeedLines(dataDir: string, database: string, lines: string[]): void {
  const content: Remembered = { database, lines };
  writeFileSync(fileFor(dataDir), `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
}

export function recallSeedLines(dataDir: string, database: string): string[] {
  try {
    const content = JSON.parse(readFileSync(fileFor(dataDir), 'utf8')) as Partial<Remembered>;
    return content.database === database && Array.isArray(content.lines) ? content.lines.map(String) : [];
  } catch {
    return [];
  }
}
