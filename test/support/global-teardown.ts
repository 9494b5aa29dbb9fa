import type { E2eDatabase } from './global-setup';

/** Stops the embedded database, or drops the run's database on the external server. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __e2ePg?: E2eDatabase }).__e2ePg?.stop();
}
