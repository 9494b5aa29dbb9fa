/**
 * A token bucket as one api process sees it: it refills locally at `perMinute / 60 s` up to
 * `capacity` and spends one token per admitted request without asking anyone, so a request over
 * its budget is refused from memory. What it spent since the last `reconcile` is sent to the shared
 * bucket (`SharedTokenBuckets`), whose answer replaces the local level: N processes together then
 * admit roughly the configured rate, each seeing the others' spending one sync period late.
 *
 * The level may go below zero (down to `-capacity`): debt that other processes ran up while this
 * one was refilling on its own, repaid by waiting, so that steady hammering across processes
 * converges to the configured rate instead of N times it.
 */
export class TokenBucket {
  private level: number;
  private updatedAt: number;
  /** Spent here since the last reconcile was sent. */
  private unsent = 0;
  /** Spent here while a reconcile was on its way (not yet in the shared answer). */
  private sending = 0;
  /** When this bucket last admitted or refused a request. */
  lastUsedAt: number;

  constructor(
    readonly capacity: number,
    readonly perMinute: number,
    now: number,
  ) {
    this.level = capacity;
    this.updatedAt = now;
    this.lastUsedAt = now;
  }

  private get perMs(): number {
    return this.perMinute / 60_000;
  }

  private refill(now: number): void {
    if (now > this.updatedAt) {
      this.level = Math.min(this.capacity, this.level + (now - this.updatedAt) * this.perMs);
      this.updatedAt = now;
    }
  }

  /** Tokens available now (fractional; one is needed per request). */
  tokens(now: number): number {
    this.refill(now);
    return this.level;
  }

  /** Whether one request may go now, without spending. */
  canTake(now: number): boolean {
    this.lastUsedAt = now;
    return this.tokens(now) >= 1;
  }

  /** Spends one token whatever the level (a request admitted by someone who had to let it through). */
  spend(now: number): void {
    this.refill(now);
    this.level = Math.max(-this.capacity, this.level - 1);
    this.unsent += 1;
    this.lastUsedAt = now;
  }

  /** Spends one token if there is one; false means the request is over its budget. */
  take(now: number): boolean {
    if (!this.canTake(now)) return false;
    this.spend(now);
    return true;
  }

  /** Milliseconds until one token is available (0 when one is). */
  msUntilToken(now: number): number {
    const missing = 1 - this.tokens(now);
    return missing <= 0 ? 0 : Math.ceil(missing / this.perMs);
  }

  /** Whether nothing has happened here for `idleMs` and the bucket is full again: it can be forgotten. */
  isIdle(now: number, idleMs: number): boolean {
    return now - this.lastUsedAt >= idleMs && this.unsent === 0 && this.sending === 0 && this.tokens(now) >= this.capacity;
  }

  /** What to send to the shared bucket now; call `reconciled` or `unreconciled` with its outcome. */
  beginReconcile(): number {
    this.sending += this.unsent;
    this.unsent = 0;
    return this.sending;
  }

  /**
   * The shared bucket's level after it took what was sent: this process's view becomes that level
   * minus what it spent since sending.
   */
  reconciled(sharedLevel: number, now: number): void {
    this.sending = 0;
    this.level = Math.max(-this.capacity, Math.min(this.capacity, sharedLevel) - this.unsent);
    this.updatedAt = now;
  }

  /** The shared bucket could not be reached: keep what was spent for the next attempt, go on locally. */
  unreconciled(): void {
    this.unsent += this.sending;
    this.sending = 0;
  }
}
