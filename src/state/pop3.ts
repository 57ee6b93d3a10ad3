// The POP3 part of the session state: capabilities, STAT, the LIST/UIDL table, messages marked
// deleted (unmarked by RSET), and what will happen to them when the session ends.
import type { Pop3Capabilities } from '../protocol/pop3/capa.js';
import type { Pop3Event } from '../protocol/pop3/events.js';
import { STATE_LIMITS } from './limits.js';
import type { Pop3MessageSnapshot, Pop3Snapshot } from './snapshot.js';
import type { Warn } from './imap.js';
import { PendingMap } from '../protocol/pending-map.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class Pop3StateReducer {
  private capabilities: string[] = [];
  private sasl: string[] = [];
  private stat: { count: number; size: number } | undefined;
  /** Messages in the maildrop when it was locked (STAT count plus those marked deleted then). */
  private total: number | undefined;
  private readonly messages = new Map<number, Mutable<Pop3MessageSnapshot>>();
  private readonly deleted = new Set<number>();
  private readonly lines = new PendingMap<number, string>();
  private committed = false;
  private state = 'connecting';
  private closed = false;

  constructor(private readonly warn: Warn) {}

  messageCount(): number | undefined {
    return this.total === undefined
      ? this.messages.size > 0
        ? this.numbers().length
        : undefined
      : this.total - this.deleted.size;
  }

  /** Message numbers not marked deleted: 1..N from STAT (numbers never change in a session), plus any LIST/UIDL named. */
  numbers(): number[] {
    const all = new Set<number>(this.messages.keys());
    if (this.total !== undefined) {
      for (let n = 1; n <= Math.min(this.total, STATE_LIMITS.pop3Messages); n++) all.add(n);
    }
    return [...all].filter((n) => !this.deleted.has(n)).sort((a, b) => a - b);
  }

  saslMechanisms(): string[] {
    return [...this.sasl];
  }

  capabilityList(): string[] {
    return [...this.capabilities];
  }

  /** `Transaction, 3 messages (1 marked deleted)`, once the maildrop size is known. */
  summary(): string | undefined {
    if (this.state !== 'transaction') return undefined;
    const count = this.messageCount();
    if (count === undefined) return undefined;
    const marked = this.deleted.size > 0 ? ` (${this.deleted.size} marked deleted)` : '';
    return `Transaction, ${count} message${count === 1 ? '' : 's'}${marked}`;
  }

  commandSent(id: number, line: string): void {
    this.lines.set(id, line.replace(/\r?\n$/, ''));
  }

  tlsEstablished(): void {
    this.capabilities = [];
    this.sasl = [];
  }

  sessionClosed(): void {
    this.closed = true;
  }

  event(e: Pop3Event): boolean {
    if (e.type === 'state') {
      this.state = e.to;
      return false;
    }
    if (e.type === 'capabilities') {
      this.capa(e.capabilities);
      return true;
    }
    if (e.type === 'completed') {
      this.lines.delete(e.command.id);
      return false;
    }
    if (e.type !== 'response' || !e.command) return false;
    const line = this.lines.get(e.command.id) ?? e.command.verb;
    const words = line.trim().split(/\s+/);
    const verb = (words[0] ?? '').toUpperCase();
    const arg = words[1] !== undefined && /^\d{1,15}$/.test(words[1]) ? Number(words[1]) : undefined;
    if (!e.ok) return false;
    const data = e.data;
    switch (verb) {
      case 'STAT':
        if (data?.kind === 'stat') {
          this.stat = { count: data.count, size: data.size };
          // STAT leaves out messages marked deleted (RFC 1939 5).
          this.total = data.count + this.deleted.size;
        }
        return true;
      case 'LIST':
        if (data?.kind === 'list') {
          for (const entry of data.entries) {
            const m = this.message(entry.message);
            if (m) m.size = entry.size;
          }
          if (data.malformed.length > 0)
            this.warn(`LIST lines that could not be read: ${data.malformed.join(' | ')}`);
        }
        return true;
      case 'UIDL':
        if (data?.kind === 'uidl') {
          for (const entry of data.entries) {
            const m = this.message(entry.message);
            if (m) m.uid = entry.uid;
          }
          if (data.malformed.length > 0)
            this.warn(`UIDL lines that could not be read: ${data.malformed.join(' | ')}`);
        }
        return true;
      case 'RETR':
      case 'TOP': {
        if (arg === undefined) return false;
        const m = this.message(arg);
        if (!m) return false;
        if (verb === 'RETR') {
          m.retrieved = true;
          if (data?.kind === 'message' && m.size === undefined) m.size = data.size;
        } else {
          const lines = words[2] !== undefined && /^\d{1,9}$/.test(words[2]) ? Number(words[2]) : undefined;
          if (lines !== undefined) m.topLines = lines;
        }
        return true;
      }
      case 'DELE':
        if (arg === undefined) return false;
        this.deleted.add(arg);
        this.message(arg);
        return true;
      case 'RSET':
        this.deleted.clear();
        return true;
      case 'QUIT':
        // QUIT in TRANSACTION enters UPDATE: the marked messages are removed now.
        if (this.state === 'transaction' || this.state === 'update') this.committed = true;
        return true;
      default:
        return false;
    }
  }

  snapshot(): Pop3Snapshot {
    const all = [...this.messages.values()].sort((a, b) => a.number - b.number);
    const shown = all
      .slice(0, STATE_LIMITS.snapshotMessages)
      .map((m) => ({ ...m, deleted: this.deleted.has(m.number) }));
    return {
      capabilities: [...this.capabilities],
      saslMechanisms: [...this.sasl],
      ...(this.stat ? { stat: { ...this.stat } } : {}),
      messages: shown,
      messagesOmitted: all.length - shown.length,
      deletedCount: this.deleted.size,
      keepOrDelete: this.explain(),
      committed: this.committed,
    };
  }

  private explain(): string {
    const n = this.deleted.size;
    const which = n === 1 ? 'message' : 'messages';
    if (this.committed)
      return n === 0
        ? 'QUIT succeeded: the server ended the session and kept every message.'
        : `QUIT succeeded: the server entered the UPDATE state and removed the ${n} ${which} marked deleted.`;
    if (this.closed)
      return n === 0
        ? 'The session ended: nothing was marked deleted, so every message stays on the server.'
        : `The session ended without a successful QUIT, so the server keeps all messages, including the ${n} marked deleted (RFC 1939 section 6).`;
    if (n === 0)
      return 'Nothing is marked deleted: every message stays on the server (keep). DELE marks one; it is removed only when QUIT succeeds.';
    return `${n} ${which} marked deleted. They are removed only when QUIT succeeds; RSET unmarks them, and a dropped connection keeps them.`;
  }

  private capa(c: Pop3Capabilities): void {
    const names: string[] = [];
    const flag = (on: boolean, name: string) => on && names.push(name);
    flag(c.top, 'TOP');
    flag(c.user, 'USER');
    flag(c.uidl, 'UIDL');
    flag(c.respCodes, 'RESP-CODES');
    flag(c.authRespCode, 'AUTH-RESP-CODE');
    flag(c.pipelining, 'PIPELINING');
    flag(c.stls, 'STLS');
    flag(c.utf8, 'UTF8');
    if (c.sasl.length > 0) names.push(`SASL ${c.sasl.join(' ')}`);
    if (c.loginDelay !== undefined) names.push(`LOGIN-DELAY ${c.loginDelay ?? '(invalid)'}`);
    if (c.expire !== undefined) names.push(`EXPIRE ${c.expire}`);
    if (c.implementation !== undefined) names.push(`IMPLEMENTATION ${c.implementation}`);
    for (const [k, v] of c.other) if (k !== 'UTF8') names.push([k, ...v].join(' '));
    this.capabilities = names.slice(0, STATE_LIMITS.listItems);
    this.sasl = c.sasl.slice(0, STATE_LIMITS.listItems);
  }

  private message(n: number): Mutable<Pop3MessageSnapshot> | undefined {
    const known = this.messages.get(n);
    if (known) return known;
    if (this.messages.size >= STATE_LIMITS.pop3Messages) {
      this.warn(`more than ${STATE_LIMITS.pop3Messages} messages: message ${n} is not kept`);
      return undefined;
    }
    const m: Mutable<Pop3MessageSnapshot> = { number: n, deleted: false, retrieved: false };
    this.messages.set(n, m);
    return m;
  }
}
