/**
 * Rendered charts by the hash of their spec, least recently used first out. Drawing costs tens of
 * milliseconds of CPU (bench `charts`) while several consoles of a tenant ask for the same figures
 * after each rollup; the spec holds every figure and label drawn, so equal hashes are equal
 * pictures (two tenants with the very same figures would share bytes they could each draw alike).
 */
export class ChartCache {
  private readonly entries = new Map<string, string>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 200,
    private readonly maxBytes = 32 * 2 ** 20,
  ) {}

  get(key: string): string | undefined {
    const svg = this.entries.get(key);
    if (svg !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, svg);
    }
    return svg;
  }

  set(key: string, svg: string): void {
    if (svg.length > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.bytes -= old.length;
    }
    this.entries.set(key, svg);
    this.bytes += svg.length;
    for (const [oldest, value] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.length;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
