// Server-side framing of IMAP client input: lines ending in CRLF, with `{n}` (synchronizing) and
// `{n+}` (LITERAL+) literals. Emits one unit per complete command; enforces the sandbox limits.

import { Buffer } from 'node:buffer';
import { LIMITS, limitMessage } from '../../protocol/limits.js';

/** One line of a command (without CRLF), and the literal that its `{n}` announced, if any. */
export interface Segment {
  readonly line: string;
  readonly literal?: Buffer;
}

export interface CommandUnit {
  readonly segments: readonly Segment[];
}

export interface ReaderEvents {
  unit(unit: CommandUnit): void;
  /** A synchronizing literal was announced and accepted: the server must send a continuation. */
  continueLiteral(size: number): void;
  /** A synchronizing literal was refused (too big); the command is dropped, `tag` is its tag. */
  refusedLiteral(tag: string, message: string): void;
  /** The stream cannot be read on (a line or non-synchronizing literal over the limit). */
  fatal(message: string): void;
}

const LITERAL_AT_END = /\{(\d{1,20})(\+?)\}$/;

export class CommandReader {
  private buffer: Buffer = Buffer.alloc(0);
  private segments: Segment[] = [];
  private literal: { line: string; size: number; chunks: Buffer[]; received: number } | undefined;
  private commandBytes = 0;
  private failed = false;

  constructor(private readonly events: ReaderEvents) {}

  /** Drops everything buffered (after STARTTLS: plaintext bytes sent early are never parsed). */
  reset(): void {
    this.buffer = Buffer.alloc(0);
    this.segments = [];
    this.literal = undefined;
    this.commandBytes = 0;
  }

  push(chunk: Buffer): void {
    if (this.failed) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (!this.failed && this.buffer.length > 0) {
      if (this.literal) {
        if (!this.takeLiteral()) return;
        continue;
      }
      const lf = this.buffer.indexOf(0x0a);
      if (lf < 0) {
        if (this.buffer.length > LIMITS.sandboxMaxLineLength)
          this.fail(limitMessage('command line', 'sandboxMaxLineLength'));
        return;
      }
      const end = lf > 0 && this.buffer[lf - 1] === 0x0d ? lf - 1 : lf;
      if (end > LIMITS.sandboxMaxLineLength) {
        this.fail(limitMessage('command line', 'sandboxMaxLineLength'));
        return;
      }
      const line = this.buffer.toString('utf8', 0, end);
      this.buffer = this.buffer.subarray(lf + 1);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    this.commandBytes += line.length + 2;
    const match = LITERAL_AT_END.exec(line);
    if (!match) {
      this.segments.push({ line });
      this.emit();
      return;
    }
    const size = Number(match[1]);
    const sync = match[2] !== '+';
    if (
      size > LIMITS.sandboxMaxMessageBytes ||
      this.commandBytes + size > LIMITS.sandboxMaxMessageBytes + LIMITS.sandboxMaxLineLength
    ) {
      const message = limitMessage(`literal of ${size} bytes`, 'sandboxMaxMessageBytes');
      if (!sync) {
        // The client is sending the bytes anyway; the only safe way out is to close.
        this.fail(message);
        return;
      }
      const tag = (this.segments[0]?.line ?? line).split(' ', 1)[0] ?? '*';
      this.segments = [];
      this.commandBytes = 0;
      this.events.refusedLiteral(tag, message);
      return;
    }
    this.literal = { line, size, chunks: [], received: 0 };
    if (sync) this.events.continueLiteral(size);
  }

  /** Moves literal bytes out of the buffer; returns false when more are needed. */
  private takeLiteral(): boolean {
    const lit = this.literal!;
    const take = Math.min(lit.size - lit.received, this.buffer.length);
    if (take > 0) {
      lit.chunks.push(this.buffer.subarray(0, take));
      lit.received += take;
      this.buffer = this.buffer.subarray(take);
    }
    if (lit.received < lit.size) return false;
    this.commandBytes += lit.size;
    this.segments.push({ line: lit.line, literal: Buffer.concat(lit.chunks) });
    this.literal = undefined;
    return true;
  }

  private emit(): void {
    const unit: CommandUnit = { segments: this.segments };
    this.segments = [];
    this.commandBytes = 0;
    this.events.unit(unit);
  }

  private fail(message: string): void {
    this.failed = true;
    this.reset();
    this.events.fatal(message);
  }
}
