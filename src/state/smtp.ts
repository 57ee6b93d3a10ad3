// The SMTP part of the session state: EHLO extensions with their parameters, the envelope
// (MAIL FROM, each RCPT TO with its reply), DATA/BDAT progress and the queue id of the final 250.
import type { EhloCapabilities } from '../protocol/smtp/ehlo.js';
import type { SmtpEvent } from '../protocol/smtp/events.js';
import type { SmtpReply } from '../protocol/smtp/reply.js';
import { clip, STATE_LIMITS } from './limits.js';
import type {
  SmtpExtensionSnapshot,
  SmtpRecipientSnapshot,
  SmtpReplySnapshot,
  SmtpSnapshot,
  SmtpTransactionSnapshot,
} from './snapshot.js';
import { PendingMap } from '../protocol/pending-map.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Transaction = Mutable<Omit<SmtpTransactionSnapshot, 'recipients'>> & {
  recipients: Array<Mutable<SmtpRecipientSnapshot>>;
};

type Pending =
  | { readonly kind: 'mail'; readonly tx: Transaction }
  | { readonly kind: 'rcpt'; readonly tx: Transaction; readonly index: number }
  | { readonly kind: 'data'; readonly tx: Transaction }
  | { readonly kind: 'bdat'; readonly tx: Transaction; readonly last: boolean }
  | { readonly kind: 'other'; readonly verb: string };

const FLAG_KEYWORDS: ReadonlyArray<readonly [keyof EhloCapabilities, string]> = [
  ['pipelining', 'PIPELINING'],
  ['eightBitMime', '8BITMIME'],
  ['smtpUtf8', 'SMTPUTF8'],
  ['startTls', 'STARTTLS'],
  ['chunking', 'CHUNKING'],
  ['binaryMime', 'BINARYMIME'],
  ['dsn', 'DSN'],
  ['enhancedStatusCodes', 'ENHANCEDSTATUSCODES'],
  ['requireTls', 'REQUIRETLS'],
];

export class SmtpStateReducer {
  private domain: string | undefined;
  private extensions: SmtpExtensionSnapshot[] = [];
  private sizeLimit: number | null | undefined;
  private auth: string[] = [];
  private authenticated = false;
  private tx: Transaction | undefined;
  private readonly history: SmtpTransactionSnapshot[] = [];
  private readonly pending = new PendingMap<number, Pending>();

  saslMechanisms(): string[] {
    return [...this.auth];
  }

  /** EHLO keywords with their parameters, e.g. `SIZE 10240000`, `AUTH PLAIN LOGIN`. */
  capabilityList(): string[] {
    return this.extensions.map((e) => [e.keyword, ...e.params].join(' '));
  }

  /** `Envelope: 2 recipients accepted`, or how the last transaction ended. */
  summary(): string | undefined {
    const tx = this.tx;
    if (tx && !tx.ended && tx.data !== 'done' && tx.data !== 'refused') {
      const accepted = tx.recipients.filter((r) => r.reply && r.reply.code < 300).length;
      if (tx.data === 'sending' || tx.data === 'waiting-354')
        return `Sending the message (${tx.dataBytes} bytes)`;
      return tx.recipients.length === 0
        ? `MAIL FROM <${tx.from}>`
        : `Envelope: ${accepted} of ${tx.recipients.length} recipient${tx.recipients.length === 1 ? '' : 's'} accepted`;
    }
    const last = tx ?? this.history[this.history.length - 1];
    if (last?.queueId) return `Sent, queued as ${last.queueId}`;
    if (last?.data === 'done') return 'Sent';
    return this.authenticated ? 'Ready, authenticated' : undefined;
  }

  commandSent(id: number, line: string): void {
    const text = line.replace(/\r?\n$/, '');
    const verb = (/^\s*(\S+)/.exec(text)?.[1] ?? '').toUpperCase();
    switch (verb) {
      case 'MAIL': {
        // A new MAIL while a transaction is open: the server will refuse it or it replaces the old one.
        this.end('a new MAIL FROM started another transaction');
        const { address, params } = pathOf(text, 'FROM');
        this.tx = {
          from: address,
          fromParams: params,
          recipients: [],
          data: 'none',
          dataBytes: 0,
          bdatChunks: 0,
        };
        this.pending.set(id, { kind: 'mail', tx: this.tx });
        return;
      }
      case 'RCPT': {
        const tx = this.openTx();
        const { address, params } = pathOf(text, 'TO');
        tx.recipients.push({ address, params });
        this.pending.set(id, { kind: 'rcpt', tx, index: tx.recipients.length - 1 });
        return;
      }
      case 'DATA': {
        const tx = this.openTx();
        tx.data = 'waiting-354';
        this.pending.set(id, { kind: 'data', tx });
        return;
      }
      case 'BDAT': {
        const tx = this.openTx();
        const m = /^\s*BDAT\s+(\d{1,15})(\s+LAST)?\s*$/i.exec(text);
        tx.data = 'sending';
        tx.bdatChunks++;
        if (m) tx.dataBytes += Number(m[1]);
        this.pending.set(id, { kind: 'bdat', tx, last: Boolean(m?.[2]) });
        return;
      }
      default:
        this.pending.set(id, { kind: 'other', verb });
    }
  }

  /** Message bytes sent inside a command (a DATA body). */
  clientData(id: number, bytes: number): void {
    const p = this.pending.get(id);
    if (p?.kind === 'data') {
      p.tx.data = 'sending';
      p.tx.dataBytes += bytes;
    }
  }

  tlsEstablished(): void {
    // RFC 3207 4.2: everything learned before TLS is discarded.
    this.extensions = [];
    this.sizeLimit = undefined;
    this.auth = [];
    this.authenticated = false;
    this.end('the connection was upgraded to TLS');
  }

  sessionClosed(): void {
    this.end('the connection closed before the transaction finished');
  }

  event(e: SmtpEvent): boolean {
    switch (e.type) {
      case 'capabilities':
        this.ehlo(e.capabilities);
        return true;
      case 'reply':
        if (!e.command) return false;
        return this.reply(e.command.id, e.reply);
      case 'completed':
        this.pending.delete(e.command.id);
        return false;
      default:
        return false;
    }
  }

  snapshot(): SmtpSnapshot {
    return {
      ...(this.domain !== undefined ? { domain: this.domain } : {}),
      extensions: this.extensions.map((x) => ({ keyword: x.keyword, params: [...x.params] })),
      ...(this.sizeLimit !== undefined ? { sizeLimit: this.sizeLimit } : {}),
      authMechanisms: [...this.auth],
      authenticated: this.authenticated,
      ...(this.tx ? { transaction: copyTx(this.tx) } : {}),
      history: this.history.map((t) => copyTx(t)),
    };
  }

  private reply(id: number, r: SmtpReply): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    const reply = replyOf(r);
    switch (p.kind) {
      case 'mail':
        p.tx.fromReply = reply;
        if (r.code >= 400 && this.tx === p.tx) this.end(`MAIL FROM was refused (${r.code})`);
        return true;
      case 'rcpt': {
        const rcpt = p.tx.recipients[p.index];
        if (rcpt) rcpt.reply = reply;
        return true;
      }
      case 'data':
        if (r.code === 354) {
          p.tx.data = 'sending';
          return true;
        }
        p.tx.dataReply = reply;
        p.tx.data = r.code < 300 ? 'done' : 'refused';
        if (r.code < 300) {
          const queueId = queueIdOf(r.text);
          if (queueId) p.tx.queueId = queueId;
        }
        if (this.tx === p.tx) this.finish();
        return true;
      case 'bdat':
        if (r.code >= 300) {
          p.tx.dataReply = reply;
          p.tx.data = 'refused';
          if (this.tx === p.tx) this.finish();
        } else if (p.last) {
          p.tx.dataReply = reply;
          p.tx.data = 'done';
          const queueId = queueIdOf(r.text);
          if (queueId) p.tx.queueId = queueId;
          if (this.tx === p.tx) this.finish();
        }
        return true;
      case 'other':
        if ((p.verb === 'RSET' && r.code < 300) || ((p.verb === 'EHLO' || p.verb === 'HELO') && r.code < 300))
          this.end(`${p.verb} reset the transaction`);
        if (p.verb === 'HELO' && r.code < 300) this.domain = r.lines[0]?.split(' ')[0];
        if (p.verb === 'AUTH' && r.code === 235) this.authenticated = true;
        return true;
    }
  }

  private ehlo(c: EhloCapabilities): void {
    this.domain = c.domain;
    const list: SmtpExtensionSnapshot[] = [];
    for (const [key, keyword] of FLAG_KEYWORDS) {
      if (c[key] === true) list.push({ keyword, params: [...(c.other.get(keyword) ?? [])] });
    }
    if (c.size !== undefined) list.push({ keyword: 'SIZE', params: c.size === null ? [] : [String(c.size)] });
    if (c.auth.length > 0) list.push({ keyword: 'AUTH', params: [...c.auth] });
    for (const [k, v] of c.other)
      if (!list.some((x) => x.keyword === k)) list.push({ keyword: k, params: [...v] });
    this.extensions = list.slice(0, STATE_LIMITS.listItems);
    this.sizeLimit = c.size;
    this.auth = c.auth.slice(0, STATE_LIMITS.listItems);
  }

  private openTx(): Transaction {
    // RCPT or DATA without MAIL: the server will refuse it; show it in an envelope without a sender.
    this.tx ??= { from: '', fromParams: [], recipients: [], data: 'none', dataBytes: 0, bdatChunks: 0 };
    return this.tx;
  }

  private finish(): void {
    if (!this.tx) return;
    this.history.push(copyTx(this.tx));
    if (this.history.length > STATE_LIMITS.transactions) this.history.shift();
    this.tx = undefined;
  }

  private end(why: string): void {
    if (!this.tx) return;
    this.tx.ended = why;
    this.finish();
  }
}

function copyTx(t: SmtpTransactionSnapshot): SmtpTransactionSnapshot {
  return {
    ...t,
    fromParams: [...t.fromParams],
    recipients: t.recipients.map((r) => ({ ...r, params: [...r.params] })),
  };
}

function replyOf(r: SmtpReply): SmtpReplySnapshot {
  return { code: r.code, ...(r.enhanced ? { enhanced: r.enhanced.code } : {}), text: clip(r.text) };
}

/** `MAIL FROM:<a@b> SIZE=10` -> a@b and [SIZE=10]; an unreadable path is kept as written. */
function pathOf(line: string, word: 'FROM' | 'TO'): { address: string; params: string[] } {
  const m = new RegExp(`^\\s*\\S+\\s+${word}:\\s*(<[^>]*>|\\S*)\\s*(.*)$`, 'i').exec(line);
  if (!m) return { address: clip(line.replace(/^\s*\S+\s*/, '')), params: [] };
  const path = m[1] ?? '';
  const address = path.startsWith('<') && path.endsWith('>') ? path.slice(1, -1) : path;
  const params = (m[2] ?? '').split(/\s+/).filter((p) => p !== '');
  return { address: clip(address), params: params.slice(0, STATE_LIMITS.listItems).map((p) => clip(p)) };
}

/** The queue id servers put in the final reply: Postfix/Sendmail `queued as X`, Exim `id=X`. */
export function queueIdOf(text: string): string | undefined {
  const m = /queued as\s+<?([!-=?-~]+?)>?(?:\s|$)/i.exec(text) ?? /\bid=([!-~]+)/i.exec(text);
  return m?.[1] ? clip(m[1], 100) : undefined;
}
