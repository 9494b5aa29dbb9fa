import { redactUrl } from './redact';

export interface BannerInfo {
  apiPort: number;
  workerPort: number;
  database: { kind: 'embedded'; url: string; dataDir: string } | { kind: 'external'; url: string };
  redis: { url: string; origin: 'configured' | 'local' | 'started'; dataDir?: string };
  /** Only passed outside production. */
  adminKey?: string;
  seedLines: string[];
  /** The seed lines come from an earlier start (the database was already seeded). */
  seedLinesFromEarlierStart: boolean;
  startupMs: number;
}

const REDIS_ORIGIN = {
  configured: 'from REDIS_URL',
  local: 'already running on this machine',
  started: 'started by the launcher',
} as const;

export function renderBanner(info: BannerInfo): string {
  const base = `http://localhost:${info.apiPort}`;
  const rows: Array<[string, string]> = [
    ['API', `${base}/v1`],
    ['Agent console', `${base}/console`],
    ['API docs', `${base}/docs`],
    ['Metrics', `${base}/metrics`],
    ['Worker health', `http://localhost:${info.workerPort}/health`],
    ...databaseRows(info.database),
    ['Redis', `${redactUrl(info.redis.url)} (${REDIS_ORIGIN[info.redis.origin]})`],
  ];
  if (info.redis.dataDir) rows.push(['', `data in ${info.redis.dataDir}`]);
  if (info.adminKey) rows.push(['Admin key', info.adminKey]);

  const lines = [
    `Switchboard is up (started in ${(info.startupMs / 1000).toFixed(1)} s)`,
    '',
    ...rows.map(([label, value]) => `  ${label.padEnd(14)} ${value}`),
    ...seedSection(info),
    '',
    'Ctrl-C stops everything; the next npm start reuses the data.',
  ];
  const rule = '─'.repeat(Math.min(100, Math.max(...lines.map((l) => l.length)) + 2));
  return ['', rule, ...lines.map((l) => (l ? ` ${l}` : '')), rule, ''].join('\n');
}

function databaseRows(db: BannerInfo['database']): Array<[string, string]> {
  if (db.kind === 'external') return [['Database', `external PostgreSQL at ${redactUrl(db.url)}`]];
  return [
    ['Database', `embedded PostgreSQL at ${redactUrl(db.url)}`],
    ['', `data in ${db.dataDir}`],
  ];
}

function seedSection(info: BannerInfo): string[] {
  if (info.seedLines.length === 0) return [];
  const title = info.seedLinesFromEarlierStart
    ? 'Demo data (seeded on an earlier start; passwords may have been changed since)'
    : 'Demo data';
  return ['', title, ...info.seedLines.map((line) => `  ${line}`)];
}
