import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { Pool } from 'pg';
import { startBenchApi } from './support/api-process';
import type { Benchmark } from './support/benchmark';
import { startMigratedDatabase } from './support/database';
import { freePort, startNodeProcess, waitUntilServing } from './support/node-process';
import { percentileOf } from './support/statement-timing';
import { fixed, renderTable } from './support/table';

const HOST = '127.0.0.1';
const MAILS = 300;
const BASELINE_MAILS = 300;
const SENDERS = 8;
const PASSWORD = 'correct horse battery staple';

/** A Gmail-shaped message of about 3 KB: text and HTML parts, a quoted reply to strip. */
function mail(i: number, to: string, runId: string): { from: string; to: string; subject: string; text: string; html: string; messageId: string } {
  const body = `Hello,\n\nmessage ${i}: the boiler makes a knocking noise when the heating starts, mostly in the morning. ${'Details follow. '.repeat(40)}\n\nRegards,\nCustomer ${i}`;
  return {
    from: `customer-${i}-${runId}@bench.example`,
    to,
    subject: `Bench message ${i}`,
    text: `${body}\n\nOn Mon, Dec 7, 2026 at 9:00 AM Support <${to}> wrote:\n> earlier text\n> more earlier text`,
    html: `<div>${body.replace(/\n/g, '<br>')}</div><blockquote>earlier text</blockquote>`,
    messageId: `<bench-${i}-${runId}@bench.example>`,
  };
}

/**
 * Inbound email through the real path: SMTP to the api's listener (accepted once the raw MIME is
 * committed), the worker parsing, threading, finding or creating the contact and storing the
 * ticket and its message. Measured: messages per second through one worker, and p50/p95 from the
 * SMTP accept (the client's 250) to the commit (processed_at). Baseline in the same run: the same
 * messages parsed with mailparser and INSERTed into one table, in this process.
 */
export const channelsBenchmark: Benchmark = {
  name: 'channels',
  description: 'inbound email → ticket message through the worker: throughput per worker, p50/p95 SMTP accept → commit, vs a raw mailparser + INSERT baseline',
  async run({ cleanup, signal, log }) {
    const runId = randomBytes(4).toString('hex');
    const adminKey = `bench_admin_${randomBytes(16).toString('hex')}`;
    const workDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-channels-'));
    cleanup.add('remove work dir', () => rm(workDir, { recursive: true, force: true }));
    const database = await startMigratedDatabase(cleanup, signal, { log });
    const smtpPort = await freePort();
    const appEnv = {
      RATE_LIMIT_TENANT_PER_MINUTE: '1000000',
      RATE_LIMIT_AUTH_PER_MINUTE: '100000',
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
      DATA_DIR: workDir,
      CHANNELS_SMTP_LISTEN_PORT: String(smtpPort),
      CHANNELS_SMTP_LISTEN_HOST: HOST,
    };
    const api = await startBenchApi({ host: HOST, databaseUrl: database.url, workDir, runId, adminKey, cleanup, env: appEnv });
    await waitUntilServing(`${api.url}/v1/health/live`, api.process, { timeoutMs: 60_000, signal });

    const admin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    const tenant = (await (await fetch(`${api.url}/v1/admin/tenants`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'Channels bench', slug: `channels-${runId}`, owner: { email: `owner@channels-${runId}.test`, name: 'Owner', password: PASSWORD } }),
    })).json()) as { id: string };
    const { accessToken } = (await (await fetch(`${api.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `owner@channels-${runId}.test`, password: PASSWORD }) })).json()) as { accessToken: string };
    const address = `support-${runId}@bench.example`;
    const created = await fetch(`${api.url}/v1/channels`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'email', name: 'Bench', address }) });
    if (created.status !== 201) throw new Error(`creating the channel answered ${created.status}: ${await created.text()}`);

    const pool = new Pool({ connectionString: database.url, max: 2 });
    cleanup.add('close pool', () => pool.end());

    // Baseline: mailparser + one INSERT per message, in this process.
    await pool.query(`CREATE TABLE bench_raw_mail (id bigserial PRIMARY KEY, message_id text, sender text, subject text, body text, created_at timestamptz DEFAULT now())`);
    const raws: Buffer[] = [];
    const streamTransport = createTransport({ streamTransport: true, buffer: true });
    for (let i = 0; i < BASELINE_MAILS; i++) raws.push((await streamTransport.sendMail(mail(i, address, `base-${runId}`))).message as Buffer);
    const baselineLatencies: number[] = [];
    const baselineStart = Date.now();
    for (const raw of raws) {
      const t0 = performance.now();
      const parsed = await simpleParser(raw);
      await pool.query(`INSERT INTO bench_raw_mail (message_id, sender, subject, body) VALUES ($1, $2, $3, $4)`, [parsed.messageId, parsed.from?.value[0]?.address, parsed.subject, parsed.text]);
      baselineLatencies.push(performance.now() - t0);
    }
    const baselineRate = BASELINE_MAILS / ((Date.now() - baselineStart) / 1000);
    log(`baseline: ${fixed(baselineRate, 0)} messages/s`);

    // The real path: one worker running, mails sent over SMTP by SENDERS connections.
    const workerPort = await freePort();
    const worker = startNodeProcess(
      {
        label: 'worker',
        script: join(__dirname, '..', 'apps', 'worker', 'src', 'main.js'),
        env: { ...process.env, ...appEnv, CHANNELS_SMTP_LISTEN_PORT: '', NODE_ENV: 'production', DATABASE_URL: database.url, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', HOST, WORKER_PORT: String(workerPort), QUEUE_PREFIX: `bench-${runId}`, PLATFORM_ADMIN_KEY: adminKey, LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '50' },
      },
      cleanup,
    );
    await waitUntilServing(`http://${HOST}:${workerPort}/health`, worker, { timeoutMs: 60_000, signal });
    const accepted = new Map<string, number>();
    const transport = createTransport({ host: HOST, port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: SENDERS, maxMessages: Infinity });
    cleanup.add('close smtp client', async () => transport.close());
    const sendStart = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < MAILS) {
          const m = mail(next++, address, runId);
          await transport.sendMail(m);
          accepted.set(m.messageId.toLowerCase(), Date.now());
        }
      }),
    );
    const sendSeconds = (Date.now() - sendStart) / 1000;
    log(`smtp: ${MAILS} messages accepted in ${fixed(sendSeconds, 1)} s; waiting for the worker…`);
    let rows: { external_id: string; processed_at: Date; created_at: Date }[] = [];
    const deadline = Date.now() + 600_000;
    while (Date.now() < deadline) {
      signal.throwIfAborted();
      if (worker.hasExited()) throw new Error(`worker exited: ${await worker.exited}\n${worker.stderrTail()}`);
      rows = (await pool.query(`SELECT external_id, processed_at, created_at FROM channel_inbound WHERE tenant_id = $1 AND status = 'processed'`, [tenant.id])).rows;
      if (rows.length >= MAILS) break;
      await sleep(100);
    }
    if (rows.length < MAILS) throw new Error(`the worker processed ${rows.length}/${MAILS} messages in 10 minutes`);
    const [{ n: messages }] = (await pool.query(`SELECT count(*)::int AS n FROM ticket_messages WHERE tenant_id = $1`, [tenant.id])).rows as { n: number }[];
    if (messages < MAILS) throw new Error(`${messages} ticket messages for ${MAILS} mails`);
    const latencies = rows.map((r) => new Date(r.processed_at).getTime() - (accepted.get(r.external_id) ?? new Date(r.created_at).getTime()));
    const first = Math.min(...rows.map((r) => new Date(r.created_at).getTime()));
    const last = Math.max(...rows.map((r) => new Date(r.processed_at).getTime()));
    const workerRate = MAILS / ((last - first) / 1000);
    await worker.stop();

    log('');
    log(
      renderTable(
        ['path', 'messages', 'messages/s', 'p50 ms', 'p95 ms'],
        [
          ['raw mailparser + INSERT (this process)', String(BASELINE_MAILS), fixed(baselineRate, 0), fixed(percentileOf(baselineLatencies, 50), 1), fixed(percentileOf(baselineLatencies, 95), 1)],
          ['SMTP accept → worker → ticket message (1 worker)', String(MAILS), fixed(workerRate, 1), fixed(percentileOf(latencies, 50), 0), fixed(percentileOf(latencies, 95), 0)],
        ],
      ),
    );
    log(`ratio: the full path runs at ${fixed(workerRate / baselineRate, 3)}× the baseline's throughput (database: ${database.kind}); SMTP accepts ran at ${fixed(MAILS / sendSeconds, 0)}/s`);
  },
};
