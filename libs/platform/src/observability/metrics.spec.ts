import { oldestWaitingSeconds } from './metrics';

describe('oldestWaitingSeconds', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');

  it('is 0 for an empty queue', () => {
    expect(oldestWaitingSeconds(undefined, now)).toBe(0);
  });

  it('counts from when the job was added', () => {
    expect(oldestWaitingSeconds({ timestamp: now - 90_000, delay: 0 }, now)).toBe(90);
  });

  it('counts a promoted delayed job from when it became due, never below 0', () => {
    expect(oldestWaitingSeconds({ timestamp: now - 3_600_000, delay: 3_540_000 }, now)).toBe(60);
    expect(oldestWaitingSeconds({ timestamp: now - 1_000, delay: 5_000 }, now)).toBe(0);
  });
});
