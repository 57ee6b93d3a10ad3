// A live session: one transport, one codec, one transcript. The session is the only place where
// bytes move between them; it adds timing (latency, timeouts) and TLS upgrades, and it never lets
// an error escape as an exception or an unhandled rejection: every failure becomes a transcript
// note and a resolved result.
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import {
  NOTHING,
  type ClientCodec,
  type CommandRef,
  type CommonEvent,
  type Outgoing,
  type PayloadPlacement,
  type Protocol,
} from '../protocol/types.js';
import { LIMITS } from '../protocol/limits.js';
import type { TlsInfo, Transport, TransportOptions } from '../transport/types.js';
import { TransportError } from '../transport/types.js';
import { Transcript } from '../transcript/transcript.js';
import { CLIENT_PAYLOAD, REDACTED } from '../transcript/event-store.js';
import { occurrences, redactRanges } from '../transcript/redact.js';
import type { TranscriptEvent } from '../transcript/events.js';
import { Emitter } from './emitter.js';
import { PendingMap } from '../protocol/pending-map.js';
import { describeTls } from './tls-note.js';

export type AnyEvent = { readonly type: string } & Partial<{
  raw: Uint8Array;
  payloads: readonly PayloadPlacement[];
}>;
export type AnyCodec = ClientCodec<AnyEvent, string>;

export type CommandOutcome = 'ok' | 'failed' | 'timeout' | 'closed' | 'not-sent';

export interface CommandResult {
  readonly command: CommandRef | undefined;
  readonly outcome: CommandOutcome;
  /** The server's final text, or our explanation for timeout/closed/not-sent. */
  readonly text: string;
  /** Server events that arrived while the command was pending (its reply and untagged data). */
  readonly events: readonly AnyEvent[];
  readonly latencyMs: number | undefined;
}

export interface SessionTimeouts {
  /** Milliseconds to wait for the server's greeting after connecting. Default 30000. */
  readonly greetingMs?: number;
  /** Milliseconds a pending command may wait without any server bytes. Default 60000. */
  readonly replyMs?: number;
  /**
   * Close the session after this many milliseconds without bytes either way. Default: never
   * (an explorer's session waits for its user; servers enforce their own idle limits).
   */
  readonly idleMs?: number;
}

export interface SessionOptions {
  readonly protocol: Protocol;
  readonly transport: TransportOptions;
  readonly codec: AnyCodec;
  /** Opens the transport; injectable so tests can use an in-memory pair. */
  readonly connect: (options: TransportOptions) => Promise<Transport>;
  readonly transcriptFile?: string;
  readonly timeouts?: SessionTimeouts;
  readonly now?: () => number;
}

export type SessionStatus = 'connecting' | 'open' | 'upgrading' | 'closed';

export interface SessionEvents extends Record<string, unknown> {
  /** Every parsed server event and codec event, in order. */
  protocol: AnyEvent;
  /** A transcript event was recorded. */
  transcript: TranscriptEvent;
  /** The protocol state changed. */
  state: { from: string; to: string };
  tls: TlsInfo;
  status: SessionStatus;
  close: { reason: string; error: boolean };
}

interface Waiter {
  readonly command: CommandRef;
  readonly events: AnyEvent[];
  /** Several calls can wait on one command: a raw line sent inside an exchange (literal data, a
   * SASL answer, a DATA body) belongs to the command that opened it. */
  readonly resolvers: Array<(r: CommandResult) => void>;
}

/** Client payload ids live above the codec's own ids so the transcript can store both. */
const CLIENT_PAYLOAD_BASE = 1_000_000_000;

export class MailSession {
  readonly protocol: Protocol;
  readonly transcript: Transcript;
  readonly codec: AnyCodec;
  readonly events = new Emitter<SessionEvents>();
  private transport: Transport | undefined;
  private statusValue: SessionStatus = 'connecting';
  private readonly waiters = new PendingMap<number, Waiter>();
  private readonly sentAt = new PendingMap<number, number>();
  private clientPayloadId = CLIENT_PAYLOAD_BASE;
  private readonly now: () => number;
  private greetingTimer: NodeJS.Timeout | undefined;
  private replyTimer: NodeJS.Timeout | undefined;
  /** When the pending commands time out (performance.now() milliseconds), while any wait. */
  private replyDeadline: number | undefined;
  /** The server's last word asked for client input (a continuation or a 3xx reply). */
  private serverWaits = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private greetingSeen = false;
  private greetingWaiters: Array<(ok: boolean) => void> = [];
  private closeReason: string | undefined;
  private tlsWaiters: Array<(info: TlsInfo | undefined) => void> = [];
  /** Secret strings given by callers (script variables, typed passwords): redacted wherever sent. */
  private readonly secretStrings = new Set<string>();
  /** The same secrets as UTF-8 bytes, encoded once: every written line is searched for them. */
  private readonly secretNeedles: Buffer[] = [];

  private constructor(private readonly options: SessionOptions) {
    this.protocol = options.protocol;
    this.codec = options.codec;
    this.now = options.now ?? Date.now;
    const { host, port, tls } = options.transport;
    this.transcript = new Transcript({
      protocol: options.protocol,
      target: `${tls === 'implicit' ? options.protocol + 's' : options.protocol}://${formatHost(host)}:${port}`,
      ...(options.transcriptFile ? { file: options.transcriptFile } : {}),
      now: this.now,
    });
    // Events become objects only for someone who listens (a transcript view, a script runner):
    // a session nobody watches records columns and bytes, nothing per event for the GC.
    let unsubscribe: (() => void) | undefined;
    this.events.watch('transcript', (listening) => {
      unsubscribe?.();
      unsubscribe = listening
        ? this.transcript.subscribe((e) => this.events.emit('transcript', e))
        : undefined;
    });
  }

  /**
   * Connects and returns the session. Never rejects: a failed connection gives a closed session
   * whose transcript and `closeReason` say why.
   */
  static async open(options: SessionOptions): Promise<MailSession> {
    const session = new MailSession(options);
    await session.connect();
    return session;
  }

  get status(): SessionStatus {
    return this.statusValue;
  }

  get state(): string {
    return this.codec.state;
  }

  get tls(): TlsInfo | undefined {
    return this.transport?.tls;
  }

  get bytesIn(): number {
    return this.transport?.bytesIn ?? 0;
  }

  get bytesOut(): number {
    return this.transport?.bytesOut ?? 0;
  }

  /**
   * The server's last word asked for client input (an IMAP/POP3 `+` continuation, an SMTP 334 or
   * 354) and nothing was sent since: the next line belongs to that exchange.
   */
  get waitingForClient(): boolean {
    return this.serverWaits;
  }

  /** Why the session closed, when it has. */
  get closedBecause(): string | undefined {
    return this.closeReason;
  }

  /** Resolves true once the server's first bytes (the greeting) arrived, false if it closed first. */
  greeting(): Promise<boolean> {
    if (this.greetingSeen) return Promise.resolve(true);
    if (this.statusValue === 'closed') return Promise.resolve(false);
    return new Promise((resolve) => this.greetingWaiters.push(resolve));
  }

  /**
   * Sends a line exactly as given and resolves when its reply is complete. `secrets` are
   * substrings to keep out of the transcript (the codec already hides the ones it knows about).
   */
  sendRaw(line: string | Uint8Array, secrets?: readonly string[]): Promise<CommandResult> {
    if (secrets !== undefined) this.addSecrets(secrets);
    return this.run((codec) => codec.sendRaw(line));
  }

  /** Strings that must never be recorded from now on, wherever they appear in client bytes. */
  addSecrets(secrets: Iterable<string>): void {
    for (const s of secrets) {
      if (s.length === 0 || this.secretStrings.has(s)) continue;
      this.secretStrings.add(s);
      this.secretNeedles.push(Buffer.from(s, 'utf8'));
    }
  }

  /** Closes the session because something went wrong (recorded as an error). */
  fail(reason: string): void {
    this.finish(reason, true);
  }

  /**
   * Runs a structured command built by the codec (e.g. `s => s.codec.select('INBOX')` through a
   * typed wrapper) and resolves with its result. Never rejects.
   */
  run(build: (codec: AnyCodec) => CommandRef | undefined): Promise<CommandResult> {
    if (this.statusValue === 'closed') {
      return Promise.resolve(this.result(undefined, 'closed', this.closeReason ?? 'the session is closed'));
    }
    let command: CommandRef | undefined;
    try {
      command = build(this.codec);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.transcript.note(message, 'client-error', 'error');
      return Promise.resolve(this.result(undefined, 'not-sent', message));
    }
    // Client-side problems (bad argument, unsupported) come back as events, not as a command.
    const immediate = this.drainCodecEvents();
    if (!command) {
      const err = immediate.find((e) => e.type === 'client-error') as { message?: string } | undefined;
      return Promise.resolve(this.result(undefined, 'not-sent', err?.message ?? 'nothing was sent'));
    }
    const ref = command;
    // A command the codec refused (IMAP returns its ref and a failed `completed` at once) has its
    // answer already: waiting would only end at the reply timeout.
    const refused =
      immediate.length === 0
        ? undefined
        : (immediate.find(
            (e) => e.type === 'completed' && (e as unknown as { command: CommandRef }).command.id === ref.id,
          ) as { text?: string } | undefined);
    if (refused) {
      const err = immediate.find((e) => e.type === 'client-error') as { message?: string } | undefined;
      return Promise.resolve(
        this.result(ref, 'not-sent', err?.message ?? refused.text ?? 'nothing was sent'),
      );
    }
    const promise = new Promise<CommandResult>((resolve) => {
      const existing = this.waiters.get(ref.id);
      if (existing) existing.resolvers.push(resolve);
      else this.waiters.set(ref.id, { command: ref, events: [], resolvers: [resolve] });
    });
    this.pump();
    // (pump() may have closed the session; then close() settles the waiter.)
    if ((this.statusValue as SessionStatus) !== 'closed' && !this.codec.awaitsReply(ref.id)) {
      // An IMAP line without a tag: nothing in the protocol can answer it.
      const waiter = this.waiters.get(ref.id);
      this.waiters.delete(ref.id);
      this.sentAt.delete(ref.id);
      if (waiter)
        settle(waiter, {
          command: ref,
          outcome: 'ok',
          text: 'sent; a line without a tag gets no reply',
          events: waiter.events,
          latencyMs: undefined,
        });
    }
    this.armReplyTimer();
    return promise;
  }

  /** Resolves with TLS details after the next STARTTLS upgrade, or undefined if it failed. */
  nextTls(): Promise<TlsInfo | undefined> {
    return new Promise((resolve) => this.tlsWaiters.push(resolve));
  }

  /** Closes the connection. Pending commands resolve as closed. */
  close(reason = 'closed by the user'): void {
    this.finish(reason, false);
  }

  private async connect(): Promise<void> {
    const { host, port, tls } = this.options.transport;
    const target = `${formatHost(host)}:${port}`;
    // The URL in this note lets a saved transcript be replayed as a script.
    this.transcript.note(`connecting to ${this.transcript.options.target} (${tlsLabel(tls)})`, 'connect');
    try {
      this.transport = await this.options.connect(this.options.transport);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.finish(message, true);
      return;
    }
    this.setStatus('open');
    this.armIdleTimer();
    this.transcript.note(`connected to ${target}`, 'connect');
    if (this.transport.tls) this.reportTls(this.transport.tls);
    this.transport.on('data', (chunk) => this.onData(chunk));
    this.transport.on('close', (error) => this.onTransportClose(error));
    const greetingMs = this.options.timeouts?.greetingMs ?? 30_000;
    this.greetingTimer = setTimeout(() => {
      if (!this.greetingSeen)
        this.finish(`no greeting from ${target} after ${seconds(greetingMs)}`, true, 'timeout');
    }, greetingMs);
    this.greetingTimer.unref();
  }

  private onData(chunk: Uint8Array): void {
    if (this.statusValue === 'closed') return;
    this.armIdleTimer();
    if (!this.greetingSeen) {
      this.greetingSeen = true;
      if (this.greetingTimer) clearTimeout(this.greetingTimer);
      for (const w of this.greetingWaiters.splice(0)) w(true);
    }
    let events: AnyEvent[];
    try {
      events = this.codec.receive(chunk);
    } catch (error) {
      // A codec must never throw; if one does, keep the bytes and close rather than lose them.
      this.transcript.wire({ dir: 'S', bytes: chunk, malformed: 'the parser failed on these bytes' });
      this.finish(`internal parser error: ${error instanceof Error ? error.message : String(error)}`, true);
      return;
    }
    this.handleEvents(events);
    const asked = asksClient(events);
    if (asked !== undefined) this.serverWaits = asked;
    // Whatever the codec answers by itself (a literal after `+`, a SASL step) is ours to send;
    // sending it ends the wait (pump() clears it).
    this.pump();
    // Only progress (a parsed line or payload chunk) restarts the reply timer: a server dripping
    // bytes that never complete a line must not keep a command waiting forever.
    if (events.length > 0) this.armReplyTimer();
  }

  private drainCodecEvents(): readonly AnyEvent[] {
    // Codec calls that produce events outside receive() (client errors) return them via
    // `takeEvents` when the codec offers it.
    const codec = this.codec as AnyCodec & { takeEvents?: () => readonly AnyEvent[] };
    const events = codec.takeEvents ? codec.takeEvents() : NOTHING;
    this.handleEvents(events);
    return events;
  }

  /** One clock reading for the whole batch (its events arrived together), none for no events. */
  private handleEvents(events: readonly AnyEvent[]): void {
    if (events.length === 0) return;
    const now = this.now();
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (!event) continue;
      try {
        this.handleEvent(event, events, i, now);
      } catch (error) {
        this.transcript.note(
          `internal error while handling ${event.type}: ${error instanceof Error ? error.message : String(error)}`,
          'client-error',
          'error',
        );
      }
    }
  }

  private handleEvent(event: AnyEvent, batch: readonly AnyEvent[], index: number, now: number): void {
    const common = event as CommonEvent | AnyEvent;
    // Streamed payload bytes go to the transcript's disk store only: keeping them in results too
    // would hold a 200 MB literal in memory. Results keep the response that refers to them.
    if (this.waiters.size > 0 && common.type !== 'payload-chunk') {
      const waiting = this.waiters.values;
      for (let i = 0; i < waiting.length; i++) (waiting[i] as Waiter).events.push(event);
    }
    switch (common.type) {
      case 'payload-start':
        this.transcript.payloads.begin((common as { payload: number }).payload);
        break;
      case 'payload-chunk': {
        const c = common as { payload: number; chunk: Uint8Array };
        this.transcript.payloads.write(c.payload, c.chunk);
        break;
      }
      case 'payload-end':
        this.transcript.payloads.finish((common as { payload: number }).payload);
        break;
      case 'starttls-ready':
        this.recordServer(event, batch, index, now);
        this.upgrade();
        break;
      case 'protocol-error': {
        const e = common as Extract<CommonEvent, { type: 'protocol-error' }>;
        this.recordServer(event, batch, index, now, e.message);
        this.transcript.note(e.message, e.limit ? 'limit' : 'protocol-error', e.fatal ? 'error' : 'warn');
        if (e.fatal) this.finish(e.message, true);
        break;
      }
      case 'client-error':
        this.transcript.note((common as { message: string }).message, 'client-error', 'error');
        break;
      case 'state': {
        const s = common as { from: string; to: string };
        this.events.emit('state', { from: s.from, to: s.to });
        break;
      }
      case 'completed': {
        const c = common as Extract<CommonEvent, { type: 'completed' }>;
        const sentAt = this.sentAt.take(c.command.id);
        const waiter = this.waiters.take(c.command.id);
        if (waiter) {
          // While closing, the codec fails what is still pending: that is a close, not a reply.
          const closedNow = this.closing && !c.ok;
          settle(waiter, {
            command: c.command,
            outcome: closedNow ? 'closed' : c.ok ? 'ok' : 'failed',
            text: closedNow ? (this.closeReason ?? c.text) : c.text,
            events: waiter.events,
            latencyMs: sentAt === undefined ? undefined : now - sentAt,
          });
        }
        break;
      }
      default:
        if (event.raw) this.recordServer(event, batch, index, now);
    }
    this.events.emit('protocol', event);
  }

  /** Records a server event's bytes; if a `completed` follows before the next raw event, its latency. */
  private recordServer(
    event: AnyEvent,
    batch: readonly AnyEvent[],
    index: number,
    now: number,
    malformed?: string,
  ): void {
    if (!event.raw) return;
    let commandId: number | undefined;
    let latencyMs: number | undefined;
    for (let j = index + 1; j < batch.length; j++) {
      const next = batch[j];
      if (!next || next.raw) break;
      if (next.type === 'completed') {
        const c = next as unknown as Extract<CommonEvent, { type: 'completed' }>;
        commandId = c.command.id;
        const sent = this.sentAt.get(commandId);
        if (sent !== undefined) latencyMs = now - sent;
        break;
      }
    }
    const isStartTls = event.type === 'starttls-ready';
    if (isStartTls && event.raw.length === 0) return;
    const payloads = event.payloads?.length
      ? event.payloads.map((p) => ({ id: p.payload, size: p.size, offset: p.offset }))
      : undefined;
    this.transcript.recordWire(
      now,
      'S',
      event.raw,
      0,
      commandId,
      latencyMs,
      payloads,
      malformed ||
        (isStartTls ? 'sent after the STARTTLS reply, before TLS: discarded, never parsed' : undefined),
    );
    if (isStartTls) {
      this.transcript.note(
        `${event.raw.length} bytes arrived after the STARTTLS reply and before the TLS handshake; they were discarded (possible response injection)`,
        'starttls-injection',
        'warn',
      );
    }
  }

  /** Writes everything the codec has ready, recording each piece (redacted). */
  private pump(): void {
    if (!this.transport || this.statusValue === 'closed' || this.statusValue === 'upgrading') return;
    let outgoing: readonly Outgoing[];
    try {
      outgoing = this.codec.takeOutgoing();
    } catch (error) {
      this.transcript.note(
        `internal error: ${error instanceof Error ? error.message : String(error)}`,
        'client-error',
        'error',
      );
      return;
    }
    for (const out of outgoing) this.writeOut(out);
    if (outgoing.length > 0) this.serverWaits = false;
  }

  private writeOut(out: Outgoing): void {
    const transport = this.transport;
    if (!transport) return;
    const now = this.now();
    if (!this.sentAt.has(out.command.id)) this.sentAt.set(out.command.id, now);
    this.armIdleTimer();
    // Written first, recorded right after in the same turn: the transcript order is the same (no
    // reply can be handled before this returns), and the server starts on the command while the
    // transcript and its views catch up. The socket keeps the order of writes.
    transport.send(out.bytes, this.onWriteFailed);
    let ranges = out.secrets;
    if (this.secretNeedles.length > 0) {
      const found = occurrences(out.bytes, this.secretNeedles);
      if (found !== undefined) ranges = ranges === undefined ? found : [...ranges, ...found];
    }
    let bytes = out.bytes;
    let redacted = false;
    if (ranges !== undefined && ranges.length > 0) ({ bytes, redacted } = redactRanges(out.bytes, ranges));
    if (out.payload && bytes.length > LIMITS.streamPayloadOver && !redacted) {
      const id = ++this.clientPayloadId;
      this.transcript.payloads.begin(id);
      this.transcript.payloads.write(id, bytes);
      this.transcript.payloads.finish(id);
      this.transcript.wire({
        dir: 'C',
        bytes: new Uint8Array(0),
        payloads: [{ id, size: bytes.length, offset: 0 }],
        clientPayload: true,
        commandId: out.command.id,
      });
    } else {
      const flags = (redacted ? REDACTED : 0) | (out.payload ? CLIENT_PAYLOAD : 0);
      this.transcript.recordWire(now, 'C', bytes, flags, out.command.id, undefined);
    }
  }

  /** One handler for every write (a closure per write would be garbage per command). */
  private readonly onWriteFailed = (error: unknown): void => {
    this.finish(`write failed: ${error instanceof Error ? error.message : String(error)}`, true);
  };

  private upgrade(): void {
    const transport = this.transport;
    if (!transport) return;
    this.setStatus('upgrading');
    this.transcript.note('starting TLS handshake', 'tls');
    transport
      .startTls()
      .then(({ info, discarded }) => {
        if (discarded.length > 0) {
          this.transcript.wire({
            dir: 'S',
            bytes: discarded,
            malformed: 'sent after the STARTTLS reply, before TLS: discarded, never parsed',
          });
          this.transcript.note(
            `${discarded.length} bytes arrived during the TLS handshake; they were discarded (possible response injection)`,
            'starttls-injection',
            'warn',
          );
        }
        if (this.statusValue === 'closed') return;
        this.setStatus('open');
        this.reportTls(info);
        for (const w of this.tlsWaiters.splice(0)) w(info);
        this.handleEvents(this.codec.tlsEstablished());
        this.pump();
      })
      .catch((error: unknown) => {
        for (const w of this.tlsWaiters.splice(0)) w(undefined);
        const message = error instanceof Error ? error.message : String(error);
        // Never fall back to plaintext after a failed upgrade.
        this.finish(`TLS upgrade failed: ${message}`, true);
      });
  }

  private reportTls(info: TlsInfo): void {
    this.transcript.note(describeTls(info), 'tls', info.verified ? 'info' : 'warn');
    if (info.acceptedUnverified) {
      this.transcript.note(
        `certificate accepted without verification by explicit choice (${info.verifyError ?? 'not verified'})`,
        'tls-accepted-unverified',
        'warn',
      );
    }
    this.events.emit('tls', info);
  }

  /**
   * Restarts the reply window. Called for every command and every parsed server chunk, so it
   * only moves a deadline; one timer checks it when due and waits again for the rest.
   */
  private armReplyTimer(): void {
    // While the server waits for us (IDLE, a SASL prompt, a DATA body being typed), silence is
    // not a missing reply; the window starts again with what we send next.
    if (this.waiters.size === 0 || this.statusValue === 'closed' || this.serverWaits) {
      this.replyDeadline = undefined;
      return;
    }
    const replyMs = this.options.timeouts?.replyMs ?? 60_000;
    this.replyDeadline = performance.now() + replyMs;
    if (!this.replyTimer) this.startReplyTimer(replyMs);
  }

  private startReplyTimer(ms: number): void {
    this.replyTimer = setTimeout(() => this.onReplyTimer(), ms);
    this.replyTimer.unref();
  }

  private onReplyTimer(): void {
    this.replyTimer = undefined;
    if (this.replyDeadline === undefined || this.waiters.size === 0 || this.statusValue === 'closed') return;
    const left = this.replyDeadline - performance.now();
    // Progress moved the deadline since this timer was set: wait for the rest of the window.
    if (left >= 1) return this.startReplyTimer(Math.ceil(left));
    this.replyDeadline = undefined;
    const replyMs = this.options.timeouts?.replyMs ?? 60_000;
    // The session stays open on purpose: the codec keeps the command pending, so a late reply
    // is still recorded, correlated and applied to the state (a slow SEARCH, a busy server),
    // and an explorer can still look, send, or disconnect. Each result says so.
    const waiting = this.waiters.entries();
    this.waiters.clear();
    for (const [, w] of waiting) {
      const name = [w.command.tag, w.command.verb].filter(Boolean).join(' ');
      const text =
        `no reply from the server after ${seconds(replyMs)} to ${name}; the session stays open and the ` +
        `command stays pending: a late reply is still recorded and applied (disconnect if the server is stuck)`;
      this.transcript.note(text, 'timeout', 'error');
      settle(w, { command: w.command, outcome: 'timeout', text, events: w.events, latencyMs: undefined });
    }
  }

  private armIdleTimer(): void {
    const idleMs = this.options.timeouts?.idleMs;
    if (!idleMs || this.statusValue === 'closed') return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(
      () => this.finish(`closed after ${seconds(idleMs)} without traffic (idle timeout)`, false, 'timeout'),
      idleMs,
    );
    this.idleTimer.unref();
  }

  private onTransportClose(error: TransportError | undefined): void {
    if (this.statusValue === 'closed') return;
    this.finish(error ? error.message : 'the server closed the connection', Boolean(error));
  }

  private finish(reason: string, isError: boolean, kind: 'close' | 'timeout' = 'close'): void {
    // The codec's own close events (a reply cut short) must not replace the first reason.
    if (this.statusValue === 'closed' || this.closing) return;
    this.closing = true;
    this.closeReason = reason;
    if (this.greetingTimer) clearTimeout(this.greetingTimer);
    if (this.replyTimer) clearTimeout(this.replyTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    try {
      this.handleEvents(this.codec.closed());
    } catch {
      // closing must always complete
    }
    this.transcript.note(reason, kind, isError ? 'error' : 'info');
    this.setStatus('closed');
    const waiting = this.waiters.entries();
    this.waiters.clear();
    for (const [, w] of waiting) {
      settle(w, {
        command: w.command,
        outcome: 'closed',
        text: reason,
        events: w.events,
        latencyMs: undefined,
      });
    }
    for (const w of this.greetingWaiters.splice(0)) w(false);
    for (const w of this.tlsWaiters.splice(0)) w(undefined);
    this.transport?.close();
    this.transcript.flush();
    this.events.emit('close', { reason, error: isError });
  }

  private setStatus(status: SessionStatus): void {
    if (this.statusValue === status) return;
    this.statusValue = status;
    this.events.emit('status', status);
  }

  private result(command: CommandRef | undefined, outcome: CommandOutcome, text: string): CommandResult {
    return { command, outcome, text, events: [], latencyMs: undefined };
  }
}

/**
 * Whether the server now waits for client input, from the last decisive event in `events`: an
 * IMAP or POP3 continuation request or an SMTP 3xx reply (334, 354) starts a wait; a completed
 * command or a final SMTP reply ends it. Anything else (an IMAP untagged update during IDLE)
 * changes nothing: undefined.
 */
function asksClient(events: readonly AnyEvent[]): boolean | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as AnyEvent & { reply?: { code?: number } };
    if (e.type === 'continuation') return true;
    if (e.type === 'reply') return (e.reply?.code ?? 0) >= 300 && (e.reply?.code ?? 0) < 400;
    if (e.type === 'completed') return false;
  }
  return undefined;
}

function settle(waiter: Waiter, result: CommandResult): void {
  // Resolving only queues the callers' continuations, so nothing can add a resolver meanwhile.
  // A waiter is out of the map before it is settled, so it is settled once (and resolving a
  // promise again would change nothing).
  const resolvers = waiter.resolvers;
  for (let i = 0; i < resolvers.length; i++) (resolvers[i] as (r: CommandResult) => void)(result);
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function tlsLabel(tls: TransportOptions['tls']): string {
  return tls === 'implicit'
    ? 'implicit TLS'
    : tls === 'starttls'
      ? 'plaintext, STARTTLS required'
      : 'plaintext';
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
