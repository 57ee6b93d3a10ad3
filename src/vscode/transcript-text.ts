// The text of a live transcript document. Appending must not rebuild the whole text per line:
// lines are kept in sealed chunks (one string each) plus an open tail, and change notifications
// are batched so the editor re-reads the document at most once per interval, however fast the
// server talks. Plain module (no vscode): the extension wires `onChange` to the provider's event.
import type { TranscriptEvent } from '../transcript/events.js';
import { groupDigits, renderEvent, type RenderOptions } from '../transcript/render.js';

/** Lines per sealed chunk: big enough to keep the chunk list short, small enough to seal often. */
const CHUNK_LINES = 2000;

/**
 * The newest lines a live transcript document shows by default (mailwire.transcript.liveLines).
 * The editor gets the whole text on every change, so the window bounds each update; the
 * transcript itself (Save Transcript, the JSON Lines file) always has every line.
 */
export const DEFAULT_LIVE_LINES = 50_000;
export const MIN_LIVE_LINES = 2_000;

/** The setting's value made usable: a number of lines within bounds, else the default. */
export function liveLinesSetting(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_LIVE_LINES;
  return Math.max(MIN_LIVE_LINES, Math.floor(value));
}

export class ChunkedText {
  private chunks: string[] = [];
  private chunkLines: number[] = [];
  private windowLines = 0;
  private open: string[] = [];
  private lines = 0;
  private dropped = 0;
  private tailCache: string | undefined;

  /**
   * `maxLines`: the newest lines kept (whole chunks are dropped from the front beyond it), so
   * each read of the text costs at most that much however long the session runs.
   */
  constructor(private readonly maxLines = Number.POSITIVE_INFINITY) {}

  appendLines(lines: readonly string[]): void {
    if (lines.length === 0) return;
    for (const line of lines) this.open.push(line);
    this.lines += lines.length;
    this.windowLines += lines.length;
    this.tailCache = undefined;
    if (this.open.length >= CHUNK_LINES) {
      this.chunks.push(this.open.join('\n') + '\n');
      this.chunkLines.push(this.open.length);
      this.open = [];
      while (this.windowLines > this.maxLines && this.chunks.length > 0) {
        this.chunks.shift();
        const n = this.chunkLines.shift() ?? 0;
        this.windowLines -= n;
        this.dropped += n;
      }
    }
  }

  /** Every line appended, including those no longer shown. */
  get lineCount(): number {
    return this.lines;
  }

  /** Lines left out at the front to keep the text within `maxLines`. */
  get droppedLines(): number {
    return this.dropped;
  }

  get chunkCount(): number {
    return this.chunks.length + (this.open.length ? 1 : 0);
  }

  /** The text, each line ending in `\n`; after a drop, a first line says how much is left out. */
  text(): string {
    // One join of the sealed chunks and the tail: the result is flat, so the editor's read copies
    // it no more. (Caching the sealed part and concatenating the tail made a rope that every read
    // flattened: two copies of the whole window per update instead of one.)
    if (this.tailCache === undefined) this.tailCache = this.open.length ? this.open.join('\n') + '\n' : '';
    const head =
      this.dropped > 0
        ? `-- ${groupDigits(this.dropped)} earlier lines are not shown: the live view keeps the newest ${groupDigits(this.maxLines)} (mailwire.transcript.liveLines); Save Transcript writes every line\n`
        : '';
    return [head, ...this.chunks, this.tailCache].join('');
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
  /** The newest lines the live text keeps (older ones are left out with a note). Default: all. */
  readonly maxLines?: number;
  /** Most one change notification per this many milliseconds. Default 100. */
  readonly batchMs?: number;
  readonly scheduler?: Scheduler;
  /** Called (batched) after the text changed. Errors are passed to `onError`, never thrown. */
  readonly onChange: () => void;
  readonly onError?: (error: unknown) => void;
}

/** A transcript's rendered text, kept up to date as events arrive. */
export class TranscriptText {
  private buffer: ChunkedText;
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
    this.buffer = new ChunkedText(options.maxLines);
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
    this.buffer = new ChunkedText(this.options.maxLines);
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
