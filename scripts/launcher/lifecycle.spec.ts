import { jest } from '@jest/globals';
import { Lifecycle } from './lifecycle';

function setup() {
  const events: string[] = [];
  const exit = jest.fn((code: number) => void events.push(`exit ${code}`));
  const report = jest.fn((message: string) => void events.push(`report ${message}`));
  return { events, exit, report, lifecycle: new Lifecycle(exit, report) };
}

describe('Lifecycle', () => {
  it('stops things in the reverse order of starting them, then exits', async () => {
    const { events, lifecycle } = setup();
    await lifecycle.start(async () => {
      lifecycle.onStop('lock', () => events.push('lock'));
      lifecycle.onStop('db', async () => void events.push('db'));
      lifecycle.onStop('apps', () => events.push('apps'));
    });
    await lifecycle.shutdown(0);
    expect(events).toEqual(['apps', 'db', 'lock', 'exit 0']);
  });

  it('keeps stopping the rest when one cleanup fails', async () => {
    const { events, lifecycle } = setup();
    lifecycle.onStop('db', () => events.push('db'));
    lifecycle.onStop('apps', () => {
      throw new Error('boom');
    });
    await lifecycle.shutdown(0);
    expect(events).toEqual(['report stopping apps failed: boom', 'db', 'exit 0']);
  });

  it('reports a failed startup and exits with 1', async () => {
    const { events, lifecycle } = setup();
    await lifecycle.start(async () => {
      lifecycle.onStop('db', () => events.push('db'));
      throw new Error('migrations failed');
    });
    expect(events).toEqual(['report migrations failed', 'db', 'exit 1']);
  });

  it('lets the startup steps settle before cleaning up, and does not report the abort', async () => {
    const { events, lifecycle } = setup();
    let finishSlowStep!: () => void;
    const started = lifecycle.start(async (signal) => {
      await new Promise<void>((resolve) => (finishSlowStep = resolve));
      lifecycle.onStop('db', () => events.push('db'));
      signal.throwIfAborted();
      lifecycle.onStop('never', () => events.push('never'));
    });
    const stopped = lifecycle.shutdown(0);
    expect(lifecycle.signal.aborted).toBe(true);
    await Promise.resolve();
    expect(events).toEqual([]);
    finishSlowStep();
    await Promise.all([started, stopped]);
    expect(events).toEqual(['db', 'exit 0']);
  });

  it('stops once, with the exit code of the first request', async () => {
    const { events, exit, lifecycle } = setup();
    lifecycle.onStop('apps', () => events.push('apps'));
    await Promise.all([lifecycle.shutdown(0), lifecycle.shutdown(1)]);
    expect(events).toEqual(['apps', 'exit 0']);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(lifecycle.stopping).toBe(true);
  });
});
