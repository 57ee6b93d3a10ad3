// Limits how often a panel posts state: a flood of untagged responses becomes at most one
// message per interval, always carrying the latest state. Nothing is posted while the panel is
// hidden (a hidden webview drops messages); showing it posts at once. Plain module, fake timers in tests.

export interface BatchTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const REAL_TIMERS: BatchTimers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  now: () => Date.now(),
};

export class UpdateBatcher {
  private dirty = false;
  private timer: unknown;
  private lastSent = Number.NEGATIVE_INFINITY;
  private disposed = false;

  constructor(
    private readonly send: () => void,
    private readonly isVisible: () => boolean,
    private readonly intervalMs = 100,
    private readonly timers: BatchTimers = REAL_TIMERS,
  ) {}

  /** Something changed: post soon (now, if nothing was posted within the interval). */
  changed(): void {
    if (this.disposed) return;
    this.dirty = true;
    if (this.timer !== undefined || !this.isVisible()) return;
    const wait = this.lastSent + this.intervalMs - this.timers.now();
    if (wait <= 0) this.flush();
    else this.timer = this.timers.setTimeout(() => this.onTimer(), wait);
  }

  /** The panel became visible (its script restarted): post the state now. */
  shown(): void {
    this.dirty = true;
    this.flush();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.dirty && this.isVisible()) this.flush();
  }

  private flush(): void {
    if (this.disposed || !this.dirty) return;
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.dirty = false;
    this.lastSent = this.timers.now();
    this.send();
  }
}
