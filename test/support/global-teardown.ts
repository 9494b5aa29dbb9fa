export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __e2ePg?: { stop(): Promise<void> } }).__e2ePg?.stop();
}
