import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recallSeedLines, rememberSeedLines } from './seed-lines';

describe('remembered seed lines', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'launcher-seed-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('gives back the lines of the same database only', () => {
    rememberSeedLines(dataDir, 'embedded:/repo/.data/pg', ['Login: a@b.test / pw']);
    expect(recallSeedLines(dataDir, 'embedded:/repo/.data/pg')).toEqual(['Login: a@b.test / pw']);
    expect(recallSeedLines(dataDir, 'postgres://app:***@db/sb')).toEqual([]);
  });

  it('has nothing before the first seed', () => {
    expect(recallSeedLines(dataDir, 'embedded:/x')).toEqual([]);
  });
});
