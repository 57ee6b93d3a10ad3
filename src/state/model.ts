// The state model of one session, derived only from what crossed the wire: the session's parsed
// protocol events and its transcript (which already has secrets removed). It sends nothing and
// opens nothing. Events recorded before the model was attached are replayed through a private
// codec from the transcript, so a model made after the greeting and STARTTLS still knows them.
import { Buffer } from 'node:buffer';
import type { AnyCodec, AnyEvent } from '../session/session.js';
import type { CommandRef, Protocol } from '../protocol/types.js';
import { ImapClientCodec } from '../protocol/imap/codec.js';
import type { ImapEvent } from '../protocol/imap/events.js';
import { Pop3ClientCodec } from '../protocol/pop3/codec.js';
import type { Pop3Event } from '../protocol/pop3/events.js';
import { SmtpClientCodec } from '../protocol/smtp/codec.js';
import type { SmtpEvent } from '../protocol/smtp/events.js';
import type { TranscriptEvent, WireEvent } from '../transcript/events.js';
import { readImapCommand } from './imap-args.js';
import { ImapStateReducer } from './imap.js';
import { clip, STATE_LIMITS } from './limits.js';
import { Pop3StateReducer } from './pop3.js';
import { SmtpStateReducer } from './smtp.js';
import type {
  CommandSnapshot,
  CommonSnapshot,
  SecuritySnapshot,
  SessionStateSnapshot,
  StateWarning,
} from './snapshot.js';
import type { StateSource } from './source.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Reducer =
  | { readonly protocol: 'imap'; readonly r: ImapStateReducer }
  | { readonly protocol: 'pop3'; readonly r: Pop3StateReducer }
  | { readonly protocol: 'smtp'; readonly r: SmtpStateReducer };

export type StateListener = () => void;

export interface StateModelOptions {
  /** Called when a change listener throws (the model keeps going). */
  readonly onListenerError?: (error: unknown) => void;
}

export class SessionStateModel {
  readonly protocol: Protocol;
  private readonly reducer: Reducer;
  private readonly listeners = new Set<StateListener>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly commands: Array<Mutable<CommandSnapshot>> = [];
  private readonly commandById = new Map<number, Mutable<CommandSnapshot>>();
  private commandCount = 0;
  private readonly warnings: StateWarning[] = [];
  private greeting: string | undefined;
  private bytesIn = 0;
  private bytesOut = 0;
  private revisionValue = 0;
  private disposed = false;

  constructor(
    private readonly source: StateSource,
    private readonly options: StateModelOptions = {},
  ) {
    this.protocol = source.protocol;
    const warn = (text: string) => this.warn(text);
    this.reducer =
      source.protocol === 'imap'
        ? { protocol: 'imap', r: new ImapStateReducer(warn) }
        : source.protocol === 'pop3'
          ? { protocol: 'pop3', r: new Pop3StateReducer(warn) }
          : { protocol: 'smtp', r: new SmtpStateReducer() };
    this.replay(source.transcript?.events ?? []);
    const ev = source.events;
    this.unsubscribe.push(
      ev.on('transcript', (e) => this.guard(() => this.transcriptEvent(e) && this.changed())),
      ev.on('protocol', (e) => this.guard(() => this.protocolEvent(e) && this.changed())),
      ev.on('tls', () => this.guard(() => this.changed())),
      ev.on('status', () => this.guard(() => this.changed())),
      ev.on('state', () => this.guard(() => this.changed())),
      ev.on('close', () =>
        this.guard(() => {
          this.sessionClosed();
          this.changed();
        }),
      ),
    );
  }

  /** Increases with every change; lets a view skip work when nothing moved. */
  get revision(): number {
    return this.revisionValue;
  }

  /** Mailbox names from LIST/LSUB, in the server's order, decoded from modified UTF-7. */
  mailboxNames(): readonly string[] {
    return this.reducer.protocol === 'imap' ? this.reducer.r.mailboxNames() : [];
  }

  /** PERMANENTFLAGS of the selected mailbox, else its FLAGS, else the system flags. */
  permanentFlags(): readonly string[] {
    return this.reducer.protocol === 'imap' ? this.reducer.r.permanentFlags() : [];
  }

  /** IMAP: EXISTS of the selected mailbox. POP3: messages not marked deleted (STAT/LIST). */
  messageCount(): number | undefined {
    if (this.reducer.protocol === 'imap') return this.reducer.r.messageCount();
    if (this.reducer.protocol === 'pop3') return this.reducer.r.messageCount();
    return undefined;
  }

  /** POP3 message numbers from STAT/LIST/UIDL, without those marked deleted. */
  pop3MessageNumbers(): readonly number[] {
    return this.reducer.protocol === 'pop3' ? this.reducer.r.numbers() : [];
  }

  /** IMAP AUTH= capabilities, POP3 CAPA SASL, SMTP EHLO AUTH. */
  saslMechanisms(): readonly string[] {
    return this.reducer.r.saslMechanisms();
  }

  /** IMAP capabilities, POP3 CAPA tags, SMTP EHLO keywords with parameters (cheap: no snapshot). */
  capabilities(): readonly string[] {
    return this.reducer.r.capabilityList();
  }

  /**
   * The state in words for the Sessions view and the status bar (`Selected INBOX, 12 messages`),
   * or undefined when the protocol state says it all. Cheap: no snapshot is built.
   */
  summary(): string | undefined {
    return this.reducer.r.summary();
  }

  snapshot(): SessionStateSnapshot {
    const common = this.common();
    switch (this.reducer.protocol) {
      case 'imap':
        return { common, protocol: 'imap', imap: this.reducer.r.snapshot() };
      case 'pop3':
        return { common, protocol: 'pop3', pop3: this.reducer.r.snapshot() };
      case 'smtp':
        return { common, protocol: 'smtp', smtp: this.reducer.r.snapshot() };
    }
  }

  /** Called after every change; returns the unsubscribe function. */
  onChange(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.listeners.clear();
  }

  // ---------------------------------------------------------------------------------------------

  private common(): CommonSnapshot {
    const s = this.source;
    const closedBecause = s.closedBecause;
    return {
      protocol: s.protocol,
      server: s.transcript?.options.target ?? s.protocol,
      ...(this.greeting !== undefined ? { greeting: this.greeting } : {}),
      status: s.status,
      state: s.state,
      ...(closedBecause !== undefined ? { closedBecause: clip(closedBecause) } : {}),
      security: this.security(),
      bytesIn: s.bytesIn ?? this.bytesIn,
      bytesOut: s.bytesOut ?? this.bytesOut,
      commandCount: this.commandCount,
      commands: this.commands.map((c) => ({ ...c })),
      warnings: [...this.warnings],
    };
  }

  private security(): SecuritySnapshot {
    const tls = this.source.tls;
    if (!tls) return { tls: false, chain: [] };
    return {
      tls: true,
      protocol: tls.protocol,
      cipher: tls.cipher,
      verified: tls.verified,
      ...(tls.verifyError !== undefined ? { verifyError: tls.verifyError } : {}),
      acceptedUnverified: tls.acceptedUnverified,
      servername: tls.servername,
      chain: tls.chain.map((c) => ({
        subject: c.subject,
        issuer: c.issuer,
        subjectAltNames: [...c.subjectAltNames],
        validFrom: c.validFrom,
        validTo: c.validTo,
        fingerprint256: c.fingerprint256,
      })),
    };
  }

  private guard(run: () => unknown): void {
    if (this.disposed) return;
    try {
      run();
    } catch (error) {
      // A bug here must not break the session's own event handling.
      this.warn(`state model error: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private changed(): true {
    this.revisionValue++;
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch (error) {
        this.options.onListenerError?.(error);
      }
    }
    return true;
  }

  private warn(text: string): void {
    this.warnings.push({ time: Date.now(), text: clip(text) });
    if (this.warnings.length > STATE_LIMITS.warnings) this.warnings.shift();
  }

  /** A recorded transcript event: counts bytes and commands; returns whether anything changed. */
  private transcriptEvent(e: TranscriptEvent): boolean {
    if (e.dir === 'L') return false;
    const size = wireSize(e);
    if (e.dir === 'S') {
      this.bytesIn += size;
      if (e.commandId !== undefined && e.latencyMs !== undefined) {
        const c = this.commandById.get(e.commandId);
        if (c) c.latencyMs = e.latencyMs;
      }
      return false;
    }
    this.bytesOut += size;
    if (e.commandId === undefined) return true;
    if (this.commandById.has(e.commandId)) {
      if (this.reducer.protocol === 'smtp') this.reducer.r.clientData(e.commandId, size);
      return true;
    }
    const line = firstLine(e.bytes);
    this.commandSent(e.commandId, line, e.time);
    return true;
  }

  private commandSent(id: number, line: string, time: number): void {
    const verb =
      this.protocol === 'imap'
        ? readImapCommand(line).verb || '(raw)'
        : (/^\s*(\S+)/.exec(line)?.[1] ?? '(raw)').toUpperCase();
    const entry: Mutable<CommandSnapshot> = { id, verb, line: clip(line), sentAt: time, outcome: 'pending' };
    this.commandCount++;
    this.commands.push(entry);
    this.commandById.set(id, entry);
    if (this.commands.length > STATE_LIMITS.commands) {
      const old = this.commands.shift();
      if (old) this.commandById.delete(old.id);
    }
    this.reducer.r.commandSent(id, line);
  }

  private protocolEvent(e: AnyEvent): boolean {
    const t = e as { type: string; command?: CommandRef; ok?: boolean; text?: string; message?: string };
    if (t.type === 'completed' && t.command) {
      const c = this.commandById.get(t.command.id);
      if (c) {
        c.outcome = t.ok ? 'ok' : 'failed';
        c.reply = clip(t.text ?? '');
        if (c.verb === '(raw)') c.verb = t.command.verb;
      }
    }
    if (t.type === 'greeting') this.greeting = clip(greetingText(e));
    if (t.type === 'protocol-error' && t.message) this.warn(t.message);
    if (t.type === 'client-error' && t.message) this.warn(t.message);
    let changed = t.type === 'completed' || t.type === 'greeting' || t.type === 'protocol-error';
    switch (this.reducer.protocol) {
      case 'imap':
        changed = this.reducer.r.event(e as ImapEvent) || changed;
        break;
      case 'pop3':
        changed = this.reducer.r.event(e as Pop3Event) || changed;
        break;
      case 'smtp':
        changed = this.reducer.r.event(e as SmtpEvent) || changed;
        break;
    }
    if (t.type === 'starttls-ready') {
      // From here on, capabilities come again over TLS (the session asks for them).
      this.reducer.r.tlsEstablished();
      changed = true;
    }
    return changed;
  }

  private sessionClosed(): void {
    if (this.reducer.protocol === 'imap') this.reducer.r.closed();
    else this.reducer.r.sessionClosed();
    for (const c of this.commands) if (c.outcome === 'pending') c.outcome = 'failed';
  }

  /** Feeds what the transcript recorded so far through a private codec, as if it were live. */
  private replay(events: readonly TranscriptEvent[]): void {
    if (events.length === 0) return;
    const codec = codecFor(this.protocol);
    // The private codec numbers commands itself; map its ids back to the session's.
    const ids = new Map<number, number>();
    const translate = (e: AnyEvent): AnyEvent => {
      const ref = (e as { command?: CommandRef }).command;
      if (!ref) return e;
      return { ...e, command: { ...ref, id: ids.get(ref.id) ?? -ref.id } } as AnyEvent;
    };
    const feed = (list: readonly AnyEvent[]) => {
      for (const raw of list) {
        const e = translate(raw);
        this.guard(() => this.protocolEvent(e));
        if (e.type === 'starttls-ready') feed(codec.tlsEstablished());
      }
    };
    const count = events.length;
    for (let i = 0; i < count; i++) {
      const e = events[i];
      if (!e || e.dir === 'L') continue;
      const first = e.dir === 'C' && e.commandId !== undefined && !this.commandById.has(e.commandId);
      this.guard(() => this.transcriptEvent(e));
      if (e.payloads && e.payloads.length > 0) {
        // The payload bytes live in the transcript's store, not in the event: replaying without them
        // would misread everything after. Say so instead of guessing.
        this.warn('earlier traffic held a large payload: state before the view opened may be incomplete');
        return;
      }
      if (e.dir === 'C') {
        if (e.bytes.length === 0) continue;
        const ref = codec.sendRaw(e.bytes);
        codec.takeOutgoing();
        if (first && e.commandId !== undefined) ids.set(ref.id, e.commandId);
        continue;
      }
      feed(codec.receive(e.bytes));
    }
  }
}

function codecFor(protocol: Protocol): AnyCodec {
  switch (protocol) {
    case 'imap':
      return new ImapClientCodec();
    case 'pop3':
      return new Pop3ClientCodec();
    case 'smtp':
      return new SmtpClientCodec();
  }
}

function wireSize(e: WireEvent): number {
  let n = e.bytes.length;
  for (const p of e.payloads ?? []) n += p.size;
  return n;
}

function firstLine(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = b.indexOf(0x0a);
  return b
    .subarray(0, end < 0 ? b.length : end)
    .toString('utf8')
    .replace(/\r$/, '');
}

function greetingText(e: AnyEvent): string {
  const g = e as { text?: string; reply?: { text: string; code: number } };
  if (g.reply) return `${g.reply.code} ${g.reply.text}`;
  return g.text ?? '';
}
