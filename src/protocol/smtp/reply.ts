// Assembles SMTP reply lines (RFC 5321 section 4.2) into replies: `250-first`, `250-more`,
// `250 last`. Broken replies become errors that keep their bytes; the next line starts afresh.

import { Buffer } from 'node:buffer';
import { LIMITS, limitMessage, type LimitName } from '../limits.js';
import { splitEnhancedStatus, type EnhancedStatus } from './enhanced-status.js';

export interface SmtpReply {
  /** Three-digit reply code, e.g. 250. */
  readonly code: number;
  /** The enhanced status code (RFC 3463) from the first line, when present. */
  readonly enhanced?: EnhancedStatus;
  /** Text of each line, without the code, the separator and the enhanced status code. */
  readonly lines: readonly string[];
  /** The lines joined with `\n`. */
  readonly text: string;
  /** True when the reply was too big: earlier lines went out in a protocol-error, `lines` holds the rest. */
  readonly truncated?: boolean;
}

export type ReplyItem =
  | { readonly kind: 'reply'; readonly reply: SmtpReply; readonly raw: Buffer }
  | {
      readonly kind: 'error';
      readonly message: string;
      readonly raw: Buffer;
      readonly limit?: LimitName;
      /** The reply went past its limit twice: the server will not stop, the session must close. */
      readonly fatal?: boolean;
    };

const REPLY_LINE = /^([2-5][0-9][0-9])(?:([ -])(.*))?$/s;

/** Feeds one line at a time; returns a reply or an error when one is complete, else null. */
export class ReplyAssembler {
  private code = 0;
  private texts: string[] = [];
  private raws: Buffer[] = [];
  private bytes = 0;
  /** Set after a size limit was hit: the remaining lines of this reply are skipped to its end. */
  private overflowed = false;

  /** True while a multi-line reply is incomplete. */
  get inProgress(): boolean {
    return this.raws.length > 0 || this.overflowed;
  }

  /** Takes a complete line (`content` without CRLF). */
  line(content: Buffer, raw: Buffer): ReplyItem | null {
    const text = content.toString('utf8');
    const m = REPLY_LINE.exec(text);
    if (m === null) {
      const what = /^\d{3}/.test(text)
        ? 'SMTP reply line without a space or hyphen after the code'
        : 'not an SMTP reply line (expected a 3-digit code from 200 to 599)';
      return this.fail(what, raw);
    }
    const code = Number(m[1]);
    if (this.inProgress && code !== this.code) {
      return this.fail(`multi-line reply changed its code from ${this.code} to ${code}`, raw);
    }
    this.code = code;
    this.texts.push(m[3] ?? '');
    this.raws.push(raw);
    this.bytes += raw.length;
    const last = m[2] !== '-';
    if (last) return this.finish();
    if (this.bytes > LIMITS.maxSmtpReplyBytes) return this.overflow('maxSmtpReplyBytes');
    if (this.texts.length > LIMITS.maxSmtpReplyLines) return this.overflow('maxSmtpReplyLines');
    return null;
  }

  /** Ends an incomplete reply (e.g. an over-long line interrupted it); returns its bytes, if any. */
  abandon(): Buffer | null {
    if (this.raws.length === 0) {
      this.reset();
      return null;
    }
    const raw = Buffer.concat(this.raws, this.bytes);
    this.reset();
    return raw;
  }

  private finish(): ReplyItem {
    const raw = Buffer.concat(this.raws, this.bytes);
    const code = this.code;
    const enhanced = splitEnhancedStatus(this.texts[0] ?? '', code).status;
    const lines = this.texts.map((t) => {
      if (enhanced === undefined) return t;
      const s = splitEnhancedStatus(t, code);
      // Servers repeat the code on every line; strip it only where it matches the first one.
      return s.status?.code === enhanced.code ? s.rest : t;
    });
    const truncated = this.overflowed;
    this.reset();
    const reply: SmtpReply = { code, lines, text: lines.join('\n'), ...(enhanced ? { enhanced } : {}) };
    return { kind: 'reply', reply: truncated ? { ...reply, truncated } : reply, raw };
  }

  private overflow(limit: LimitName): ReplyItem {
    const raw = Buffer.concat(this.raws, this.bytes);
    const code = this.code;
    const again = this.overflowed;
    this.reset();
    // Keep the code so the following continuation lines are still recognized as this reply.
    this.code = code;
    this.overflowed = true;
    if (again) {
      // Twice the limit and still no last line: an endless reply. Waiting longer only burns time.
      return {
        kind: 'error',
        message: `${limitMessage('SMTP reply', limit)} twice without ending; closing the connection`,
        raw,
        limit,
        fatal: true,
      };
    }
    return { kind: 'error', message: limitMessage('SMTP reply', limit), raw, limit };
  }

  private fail(message: string, raw: Buffer): ReplyItem {
    const partial = this.abandon();
    return { kind: 'error', message, raw: partial ? Buffer.concat([partial, raw]) : raw };
  }

  private reset(): void {
    this.code = 0;
    this.texts = [];
    this.raws = [];
    this.bytes = 0;
    this.overflowed = false;
  }
}
