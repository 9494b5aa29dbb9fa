/** A stack of things to stop; runs once, newest first, and reports rather than throws. */
export class Cleanup {
  private readonly steps: { label: string; stop: () => Promise<void> | void }[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly report: (line: string) => void) {}

  add(label: string, stop: () => Promise<void> | void): void {
    if (this.running) throw new Error(`cannot register "${label}": cleanup already started`);
    this.steps.push({ label, stop });
  }

  run(): Promise<void> {
    this.running ??= this.runSteps();
    return this.running;
  }

  private async runSteps(): Promise<void> {
    for (const step of this.steps.reverse()) {
      try {
        await step.stop();
      } catch (error) {
        this.report(`cleanup: ${step.label} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
