// The text of a live transcript document. Appending must not rebuild the whole text per line:
// lines are kept in sealed chunks (one string each) plus an open tail, and change notifications
// are batched so the editor re-reads the document at most once per interval, however fast the
// server talks. Plain module (no vscode): the extension wires `onChange` to the provider's event.
import type { TranscriptEvent } from '../transcript/events.js';
import { renderEvent, type RenderOptions } from '../transcript/render.js';

/** Lines per sealed chunk: big enough to keep the chunk list short, small enough to seal often. */
const CHUNK_LINES = 2000;

export class ChunkedText {
  private sealedText = '';
  private sealedChunks = 0;
  private open: string[] = [];
  private lines = 0;
  private tailCache: string | undefined;

  appendLines(lines: readonly string[]): void {
    if (lines.length === 0) return;
    for (const line of lines) this.open.push(line);
    this.lines += lines.length;
    this.tailCache = undefined;
    if (this.open.length >= CHUNK_LINES) {
      // V8 concatenates lazily (a rope), so sealing costs O(chunk), not O(document).
      this.sealedText += this.open.join('\n') + '\n';
      this.sealedChunks++;
      this.open = [];
    }
  }

  get lineCount(): number {
    return this.lines;
  }

  get chunkCount(): number {
    return this.sealedChunks + (this.open.length ? 1 : 0);
  }

  /** The whole text, each line ending in `\n`. */
  text(): string {
    if (this.tailCache === undefined) this.tailCache = this.open.length ? this.open.join('\n') + '\n' : '';
    return this.sealedText + this.tailCache;
  }
}

export interface Scheduler {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface TranscriptTextOptions {
  readonly render?: RenderOptions;
  /** Most one change notification per this many milliseconds. Default 100. */
  readonly batchMs?: number;
  readonly scheduler?: Scheduler;
  /** Called (batched) after the text changed. Errors are passed to `onError`, never thrown. */
  readonly onChange: () => void;
  readonly onError?: (error: unknown) => void;
}

/** A transcript's rendered text, kept up to date as events arrive. */
export class TranscriptText {
  private buffer = new ChunkedText();
  private renderOptions: RenderOptions;
  private timer: unknown;
  private disposed = false;
  private readonly scheduler: Scheduler;
  private readonly batchMs: number;

  constructor(
    events: readonly TranscriptEvent[],
    private readonly options: TranscriptTextOptions,
  ) {
    this.renderOptions = options.render ?? {};
    this.scheduler = options.scheduler ?? realScheduler;
    this.batchMs = options.batchMs ?? 100;
    this.appendAll(events);
  }

  get lineCount(): number {
    return this.buffer.lineCount;
  }

  text(): string {
    return this.buffer.text();
  }

  append(event: TranscriptEvent): void {
    if (this.disposed) return;
    this.buffer.appendLines(this.renderSafely(event));
    this.schedule();
  }

  /** Re-renders everything with new options (e.g. timestamps toggled); rare, so a full rebuild. */
  rerender(events: readonly TranscriptEvent[], render: RenderOptions): void {
    if (this.disposed) return;
    this.renderOptions = render;
    this.buffer = new ChunkedText();
    this.appendAll(events);
    this.schedule();
  }

  /** Sends any pending change notification now. */
  flush(): void {
    if (this.timer !== undefined) this.scheduler.clear(this.timer);
    this.timer = undefined;
    this.fire();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.scheduler.clear(this.timer);
    this.timer = undefined;
  }

  private appendAll(events: readonly TranscriptEvent[]): void {
    for (const e of events) this.buffer.appendLines(this.renderSafely(e));
  }

  private renderSafely(event: TranscriptEvent): string[] {
    try {
      return renderEvent(event, this.renderOptions);
    } catch (error) {
      // Never lose an event silently: say which one could not be shown.
      this.options.onError?.(error);
      return [
        `-- error: event ${event.seq} could not be rendered: ${error instanceof Error ? error.message : String(error)}`,
      ];
    }
  }

  private schedule(): void {
    if (this.timer !== undefined || this.disposed) return;
    this.timer = this.scheduler.set(() => {
      this.timer = undefined;
      this.fire();
    }, this.batchMs);
  }

  private fire(): void {
    if (this.disposed) return;
    try {
      this.options.onChange();
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
