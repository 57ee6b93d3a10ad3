// The sans-I/O IMAP client codec: frames and parses server bytes into typed events, compiles
// commands with automatic tags, correlates tagged completions, drives synchronizing literals,
// AUTHENTICATE, IDLE and STARTTLS, and keeps the connection state (see state.ts).
//
// Choices worth knowing:
// - STARTTLS: bytes that follow the tagged OK in the same receive() are the `raw` of
//   `starttls-ready`; bytes given to receive() after that and before tlsEstablished() come back as
//   a non-fatal `protocol-error` each. Neither is ever parsed.
// - A command refused locally (bad argument) sends nothing: its `client-error` and a failed
//   `completed` are returned by takeEvents() (and, if not taken, first by the next receive()).
// - While a command is mid-exchange (a synchronizing literal awaiting `+`, AUTHENTICATE, IDLE
//   before DONE), later commands are held back and released in order; `pending` lists them too.
// - Raw lines sent during such an exchange belong to it (literal data, SASL answers, DONE).

import { Buffer } from 'node:buffer';
import { decodeBase64Strict, encodeBase64 } from '../base64.js';
import type { SaslMechanism } from '../sasl/types.js';
import {
  NOTHING,
  type ClientCodec,
  type CommandRef,
  type Mutable,
  type Outgoing,
  type PayloadPlacement,
} from '../types.js';
import { CompileError, compileCommand, type CompiledPart, type ImapArg } from './compiler.js';
import type { ImapEvent } from './events.js';
import { ParseError } from './parser.js';
import { parseResponse, type ResponseCode, type Status, type UntaggedResponse } from './response.js';
import { transition, triggerFor, type ImapState, type ImapTrigger } from './state.js';
import { ResponseFramer, type FrameEvent } from './stream.js';
import { analyseRawLine } from './raw-line.js';
import { rawLineBytes } from '../line-codec-support.js';
import { PendingMap } from '../pending-map.js';
import { encodeMailboxName } from './mutf7.js';

/** How a command talks to the server beyond its first line. */
type Interaction = 'none' | 'auth' | 'idle' | 'raw-literal' | 'raw-auth' | 'raw-idle';

interface PendingCommand {
  readonly ref: CommandRef;
  /** Parts not yet released to takeOutgoing(); a `wait` part needs a continuation request first. */
  parts: CompiledPart[];
  interaction: Interaction;
  started: boolean;
  /** SELECT/EXAMINE: the mailbox named. */
  mailbox?: string;
  sasl?: { readonly mech: SaslMechanism; initial: Uint8Array | null };
  idling?: boolean;
  doneRequested?: boolean;
  /** Raw LOGIN with a literal password: the raw continuation lines are secret. */
  secretContinuation?: boolean;
}

const DONE = Buffer.from('DONE\r\n');

export class ImapClientCodec implements ClientCodec<ImapEvent, ImapState> {
  readonly protocol = 'imap' as const;

  private currentState: ImapState = 'connecting';
  private readonly framer = new ResponseFramer();
  private caps = new Set<string>();
  private readonly enabledSet = new Set<string>();
  private selectedMailbox: string | null = null;
  private selectedReadOnly = false;
  private nextId = 0;
  private readonly pendingList: PendingCommand[] = [];
  private readonly byTag = new PendingMap<string, PendingCommand>();
  /** The command whose exchange with the server must finish before others may be written. */
  private blocker: PendingCommand | null = null;
  private readonly deferred: PendingCommand[] = [];
  private out: Outgoing[] = [];
  private localEvents: ImapEvent[] = [];
  /** STARTTLS accepted: bytes are not parsed until tlsEstablished(). */
  private awaitingTls = false;

  get state(): ImapState {
    return this.currentState;
  }

  /** Upper-case capabilities from the last CAPABILITY response or code. */
  get capabilities(): ReadonlySet<string> {
    return this.caps;
  }

  /** Upper-case capabilities the server confirmed with ENABLED. */
  get enabled(): ReadonlySet<string> {
    return this.enabledSet;
  }

  /** The selected mailbox, or null outside the selected state. */
  get selected(): string | null {
    return this.currentState === 'selected' ? this.selectedMailbox : null;
  }

  get readOnly(): boolean {
    return this.currentState === 'selected' && this.selectedReadOnly;
  }

  get pending(): readonly CommandRef[] {
    return this.pendingList.map((c) => c.ref);
  }

  awaitsReply(id: number): boolean {
    // Held-back commands are in pendingList too (track() puts every tagged command there).
    return hasCommand(this.pendingList, id);
  }

  /** Events produced by local calls (client errors), also returned first by the next receive(). */
  takeEvents(): readonly ImapEvent[] {
    return this.localEvents.length === 0 ? NOTHING : this.takeLocalEvents();
  }

  takeOutgoing(): readonly Outgoing[] {
    if (this.out.length === 0) return NOTHING;
    const out = this.out;
    this.out = [];
    return out;
  }

  /** The local events as a fresh array the caller may add to. */
  private takeLocalEvents(): ImapEvent[] {
    const events = this.localEvents;
    this.localEvents = [];
    return events;
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  /** Sends `tag VERB args...` with an automatic tag. On a bad argument nothing is sent. */
  command(verb: string, args: readonly ImapArg[] = []): CommandRef {
    return this.submit(verb, args, 'none');
  }

  login(user: string, password: string): CommandRef {
    return this.submit('LOGIN', [user, { secret: password }], 'none');
  }

  /**
   * SELECT (or EXAMINE when `readOnly`). A non-ASCII name is sent in modified UTF-7 unless the
   * server takes UTF-8 (IMAP4rev2, or UTF8=ACCEPT enabled); `selected` keeps the name as given.
   */
  select(mailbox: string, readOnly = false): CommandRef {
    const utf8 = this.caps.has('IMAP4REV2') || this.enabledSet.has('UTF8=ACCEPT');
    const wire = utf8 ? mailbox : encodeMailboxName(mailbox);
    const ref = this.submit(readOnly ? 'EXAMINE' : 'SELECT', [wire], 'none');
    const cmd = this.byTag.get(ref.tag ?? '');
    if (cmd) cmd.mailbox = mailbox;
    return ref;
  }

  idle(): CommandRef {
    return this.submit('IDLE', [], 'idle');
  }

  /** Ends IDLE (sent as soon as the server has accepted IDLE). */
  done(): void {
    const idle = this.pendingList.find(
      (c) => (c.interaction === 'idle' || c.interaction === 'raw-idle') && c.doneRequested !== true,
    );
    if (!idle) {
      this.localEvents.push({ type: 'client-error', message: 'DONE: no IDLE command is in progress' });
      return;
    }
    idle.doneRequested = true;
    if (idle.idling === true) this.sendDone(idle);
  }

  startTls(): CommandRef {
    return this.submit('STARTTLS', [], 'none');
  }

  authenticate(mech: SaslMechanism): CommandRef {
    const name = mech.name.toUpperCase();
    let initial: Uint8Array | null;
    try {
      initial = mech.initialResponse();
    } catch (e) {
      return this.refuse('AUTHENTICATE', `SASL ${name}: ${errorText(e)}`);
    }
    const args: ImapArg[] = [{ atom: name }];
    let afterFirstContinuation: Uint8Array | null = initial;
    if (initial !== null && this.caps.has('SASL-IR')) {
      // RFC 4959: an empty initial response is sent as `=`.
      args.push({ secret: initial.length === 0 ? '=' : encodeBase64(initial), atom: true });
      afterFirstContinuation = null;
    }
    const ref = this.submit('AUTHENTICATE', args, 'auth');
    const cmd = this.byTag.get(ref.tag ?? '');
    if (cmd) cmd.sasl = { mech, initial: afterFirstContinuation };
    return ref;
  }

  sendRaw(line: string | Uint8Array): CommandRef {
    const bytes = rawLineBytes(line);
    const owner = this.blocker;
    if (owner && owner.started && owner.parts.length === 0 && this.continuesInteraction(owner, bytes)) {
      return owner.ref;
    }
    const info = analyseRawLine(bytes);
    const ref: CommandRef =
      info.tag !== undefined
        ? { id: ++this.nextId, verb: info.verb, tag: info.tag }
        : { id: ++this.nextId, verb: info.verb };
    const part: CompiledPart = info.secrets.length > 0 ? { bytes, secrets: info.secrets } : { bytes };
    const interaction: Interaction =
      info.literal !== undefined
        ? 'raw-literal'
        : info.verb === 'AUTHENTICATE'
          ? 'raw-auth'
          : info.verb === 'IDLE'
            ? 'raw-idle'
            : 'none';
    const cmd: PendingCommand = { ref, parts: [part], interaction, started: false };
    if (info.mailbox !== undefined) cmd.mailbox = info.mailbox;
    if (info.secretContinuation === true) cmd.secretContinuation = true;
    if (info.tag === undefined) {
      // Nothing can answer an untagged line; send it without waiting for a reply.
      this.out.push({ bytes, command: ref });
      return ref;
    }
    this.track(cmd);
    return ref;
  }

  /** A raw line while `owner` is mid-exchange: literal data, SASL answers or DONE belong to it. */
  private continuesInteraction(owner: PendingCommand, bytes: Buffer): boolean {
    switch (owner.interaction) {
      case 'raw-literal': {
        if (owner.secretContinuation === true) {
          this.out.push({ bytes, command: owner.ref, secrets: [[0, lineContentEnd(bytes)]] });
        } else this.out.push({ bytes, command: owner.ref, payload: true });
        const info = analyseRawLine(bytes, false);
        if (info.literal === undefined) {
          owner.interaction = owner.ref.verb === 'AUTHENTICATE' ? 'raw-auth' : 'none';
          this.unblock();
        }
        return true;
      }
      case 'raw-auth':
      case 'auth': {
        this.out.push({ bytes, command: owner.ref, secrets: [[0, lineContentEnd(bytes)]] });
        return true;
      }
      case 'idle':
      case 'raw-idle':
        if (bytes.toString('latin1').trim().toUpperCase() !== 'DONE') return false;
        this.out.push({ bytes, command: owner.ref });
        owner.doneRequested = true;
        this.unblock();
        return true;
      case 'none':
        return false;
    }
  }

  private submit(verb: string, args: readonly ImapArg[], interaction: Interaction): CommandRef {
    const id = ++this.nextId;
    let tag = `A${id}`;
    for (let n = 1; this.byTag.has(tag); n++) tag = `A${id}.${n}`;
    const upper = verb.toUpperCase();
    const ref: CommandRef = { id, verb: upper, tag };
    let parts: CompiledPart[];
    try {
      parts = compileCommand(tag, upper, args, {
        literalPlus: this.caps.has('LITERAL+'),
        literalMinus: this.caps.has('LITERAL-') || this.caps.has('IMAP4REV2'),
      });
    } catch (e) {
      const reason = e instanceof CompileError ? e.message : `internal error: ${errorText(e)}`;
      return this.refuse(upper, `${upper}: ${reason}`, ref);
    }
    const cmd: PendingCommand = { ref, parts, interaction, started: false };
    if (upper === 'SELECT' || upper === 'EXAMINE') cmd.mailbox = argText(args[0]);
    this.track(cmd);
    return ref;
  }

  private refuse(verb: string, message: string, ref?: CommandRef): CommandRef {
    const command = ref ?? { id: ++this.nextId, verb };
    this.localEvents.push({ type: 'client-error', message });
    this.localEvents.push({ type: 'completed', command, ok: false, text: `not sent: ${message}` });
    return command;
  }

  private track(cmd: PendingCommand): void {
    this.pendingList.push(cmd);
    if (cmd.ref.tag !== undefined) this.byTag.set(cmd.ref.tag, cmd);
    if (this.blocker) this.deferred.push(cmd);
    else this.start(cmd);
  }

  private start(cmd: PendingCommand): void {
    cmd.started = true;
    this.release(cmd);
    if (cmd.parts.length > 0 || cmd.interaction !== 'none') this.blocker = cmd;
  }

  /** Releases parts up to the next one that waits for a continuation request. */
  private release(cmd: PendingCommand): void {
    let first = true;
    while (cmd.parts.length > 0) {
      const part = cmd.parts[0] as CompiledPart;
      if (part.wait === true && !first) return;
      cmd.parts.shift();
      first = false;
      const out: {
        bytes: Uint8Array;
        command: CommandRef;
        secrets?: ReadonlyArray<readonly [number, number]>;
        payload?: boolean;
      } = {
        bytes: part.bytes,
        command: cmd.ref,
      };
      if (part.secrets) out.secrets = part.secrets;
      if (part.payload) out.payload = true;
      this.out.push(out);
    }
  }

  private unblock(): void {
    this.blocker = null;
    while (this.blocker === null && this.deferred.length > 0)
      this.start(this.deferred.shift() as PendingCommand);
  }

  // ---------------------------------------------------------------------------------------------
  // Server bytes

  receive(chunk: Uint8Array): ImapEvent[] {
    const events = this.takeLocalEvents();
    if (chunk.length === 0) return events;
    if (this.awaitingTls) {
      events.push({
        type: 'protocol-error',
        message:
          'bytes received after the STARTTLS OK and before the TLS handshake were not parsed (possible response injection)',
        raw: Buffer.from(chunk),
        fatal: false,
      });
      return events;
    }
    this.framer.push(chunk);
    for (;;) {
      let frame: FrameEvent | null;
      try {
        frame = this.framer.next();
      } catch (e) {
        // Defensive: the framer does not throw, but a bug must not lose bytes or escape.
        const message = `internal framing error: ${errorText(e)}`;
        const cut = this.framer.cutPayload;
        if (cut) events.push({ type: 'payload-end', payload: cut.payload, size: cut.size });
        events.push({ type: 'protocol-error', message, ...this.framer.drain(), fatal: true });
        break;
      }
      if (frame === null) break;
      const before = events.length;
      try {
        this.onFrame(frame, events);
      } catch (e) {
        // Defensive: a bug in a handler must neither escape receive() nor lose the frame's bytes.
        const message = `internal error handling a server response: ${errorText(e)}`;
        const placed = events.slice(before).some((ev) => 'raw' in ev || ev.type === 'payload-chunk');
        if (!placed && (frame.kind === 'response' || frame.kind === 'error')) {
          const payloads = frame.payloads ? { payloads: frame.payloads } : {};
          events.push({ type: 'protocol-error', message, raw: frame.raw, ...payloads, fatal: false });
        } else events.push({ type: 'client-error', message });
      }
      if (this.awaitingTls) break;
    }
    return events;
  }

  private onFrame(frame: FrameEvent, events: ImapEvent[]): void {
    switch (frame.kind) {
      case 'payload-start':
        events.push({ type: 'payload-start', payload: frame.payload, declaredSize: frame.declaredSize });
        return;
      case 'payload-chunk':
        events.push({ type: 'payload-chunk', payload: frame.payload, chunk: frame.chunk });
        return;
      case 'payload-end':
        events.push({ type: 'payload-end', payload: frame.payload, size: frame.size });
        return;
      case 'error': {
        const base = {
          type: 'protocol-error' as const,
          message: frame.message,
          fatal: frame.fatal,
          raw: frame.raw,
        };
        const withLimit = frame.limit !== undefined ? { ...base, limit: frame.limit } : base;
        events.push(frame.payloads ? { ...withLimit, payloads: frame.payloads } : withLimit);
        return;
      }
      case 'response':
        this.onResponse(frame.raw, frame.payloads, events);
    }
  }

  private onResponse(
    raw: Buffer,
    payloads: readonly PayloadPlacement[] | undefined,
    events: ImapEvent[],
  ): void {
    const bytes = payloads ? { raw, payloads } : { raw };
    let parsed;
    try {
      parsed = parseResponse(raw, payloads);
    } catch (e) {
      const message = e instanceof ParseError ? e.message : `internal parser error: ${errorText(e)}`;
      const limit = e instanceof ParseError ? e.limit : undefined;
      events.push({
        type: 'protocol-error',
        message: `cannot parse server response: ${message}`,
        ...(limit !== undefined ? { limit } : {}),
        fatal: false,
        ...bytes,
      });
      return;
    }
    switch (parsed.type) {
      case 'continuation':
        this.onContinuation(parsed.text, parsed.code, bytes, events);
        return;
      case 'tagged':
        this.onTagged(parsed.tag, parsed.status, parsed.code, parsed.text, bytes, events);
        return;
      case 'untagged':
        this.onUntagged(parsed.response, bytes, events);
    }
  }

  private onUntagged(
    response: UntaggedResponse,
    bytes: { raw: Buffer; payloads?: readonly PayloadPlacement[] },
    events: ImapEvent[],
  ): void {
    if (this.currentState === 'connecting') {
      if (
        response.kind === 'status' &&
        (response.status === 'OK' || response.status === 'PREAUTH' || response.status === 'BYE')
      ) {
        const { status, code, text } = response;
        events.push(
          code
            ? { type: 'greeting', status, code, text, ...bytes }
            : { type: 'greeting', status, text, ...bytes },
        );
        if (code) this.learnCode(code);
        this.setState(
          status === 'OK' ? 'greeting-ok' : status === 'PREAUTH' ? 'greeting-preauth' : 'bye',
          events,
        );
        return;
      }
      events.push({
        type: 'protocol-error',
        message: 'expected a greeting (* OK, * PREAUTH or * BYE) before any other response',
        fatal: false,
        ...bytes,
      });
      return;
    }
    // Hot path (one per FETCH): no object spread.
    events.push(
      bytes.payloads
        ? { type: 'untagged', response, raw: bytes.raw, payloads: bytes.payloads }
        : { type: 'untagged', response, raw: bytes.raw },
    );
    switch (response.kind) {
      case 'capability':
        this.caps = new Set(response.capabilities);
        break;
      case 'enabled':
        for (const c of response.capabilities) this.enabledSet.add(c);
        break;
      case 'status':
        if (response.code) this.learnCode(response.code);
        if (response.status === 'BYE') this.setState('bye', events);
        break;
      default:
    }
  }

  private onContinuation(
    text: string,
    code: ResponseCode | undefined,
    bytes: { raw: Buffer; payloads?: readonly PayloadPlacement[] },
    events: ImapEvent[],
  ): void {
    const cmd = this.blocker;
    const base = { type: 'continuation' as const, text, ...bytes, ...(code ? { code } : {}) };
    events.push(cmd ? { ...base, command: cmd.ref } : base);
    if (!cmd) return;
    if (cmd.parts.length > 0) {
      this.release(cmd);
      if (cmd.parts.length === 0 && cmd.interaction === 'none') this.unblock();
      return;
    }
    switch (cmd.interaction) {
      case 'auth':
        this.answerChallenge(cmd, text, events);
        return;
      case 'idle':
        cmd.idling = true;
        if (cmd.doneRequested === true) this.sendDone(cmd);
        return;
      case 'raw-idle':
        cmd.idling = true;
        return;
      default:
    }
  }

  private answerChallenge(cmd: PendingCommand, text: string, events: ImapEvent[]): void {
    const sasl = cmd.sasl;
    if (!sasl) return;
    if (sasl.initial !== null) {
      // No SASL-IR: the initial response answers the server's first (empty) challenge.
      const initial = sasl.initial;
      sasl.initial = null;
      this.sendSaslLine(cmd, encodeBase64(initial));
      return;
    }
    const challenge = decodeBase64Strict(text.trim());
    if (challenge === null) {
      this.cancelAuth(cmd, 'the server challenge is not valid base64', events);
      return;
    }
    let step;
    try {
      step = sasl.mech.respond(challenge);
    } catch (e) {
      step = { kind: 'abort' as const, reason: errorText(e) };
    }
    if (step.kind === 'abort') this.cancelAuth(cmd, step.reason, events);
    else this.sendSaslLine(cmd, encodeBase64(step.response));
  }

  private sendSaslLine(cmd: PendingCommand, base64: string): void {
    const bytes = Buffer.from(`${base64}\r\n`, 'latin1');
    this.out.push(
      base64.length > 0
        ? { bytes, command: cmd.ref, secrets: [[0, base64.length]] }
        : { bytes, command: cmd.ref },
    );
  }

  private cancelAuth(cmd: PendingCommand, reason: string, events: ImapEvent[]): void {
    this.out.push({ bytes: Buffer.from('*\r\n'), command: cmd.ref });
    events.push({
      type: 'client-error',
      message: `AUTHENTICATE ${cmd.sasl?.mech.name ?? ''}: cancelled with "*": ${reason}`,
    });
  }

  private sendDone(cmd: PendingCommand): void {
    this.out.push({ bytes: DONE, command: cmd.ref });
    cmd.idling = false;
    if (this.blocker === cmd) this.unblock();
  }

  private onTagged(
    tag: string,
    status: Status,
    code: ResponseCode | undefined,
    text: string,
    bytes: { raw: Buffer; payloads?: readonly PayloadPlacement[] },
    events: ImapEvent[],
  ): void {
    const cmd = this.byTag.get(tag);
    if (!cmd) {
      events.push({
        type: 'protocol-error',
        message: `tagged response for unknown tag ${tag}`,
        fatal: false,
        ...bytes,
      });
      return;
    }
    this.byTag.delete(tag);
    removeItem(this.pendingList, cmd);
    removeItem(this.deferred, cmd);
    const ok = status === 'OK';
    // Built field by field: spreads of the conditional parts cost an allocation each, per command.
    const tagged: Mutable<Extract<ImapEvent, { type: 'tagged' }>> = {
      type: 'tagged',
      command: cmd.ref,
      status,
      text,
      raw: bytes.raw,
    };
    if (code) tagged.code = code;
    if (bytes.payloads) tagged.payloads = bytes.payloads;
    events.push(tagged);
    if (code) this.learnCode(code);
    const verb = cmd.ref.verb;
    if (ok && cmd.sasl) {
      const problem = safeVerify(cmd.sasl.mech);
      if (problem !== null) {
        events.push({ type: 'client-error', message: `AUTHENTICATE ${cmd.sasl.mech.name}: ${problem}` });
      }
    }
    if ((verb === 'SELECT' || verb === 'EXAMINE') && ok) {
      this.selectedMailbox = cmd.mailbox ?? null;
      const readOnlyCode = code?.kind === 'flag' ? code.name : undefined;
      this.selectedReadOnly =
        readOnlyCode === 'READ-ONLY' ? true : readOnlyCode === 'READ-WRITE' ? false : verb === 'EXAMINE';
    }
    events.push({ type: 'completed', command: cmd.ref, ok, text });
    const trigger = triggerFor(verb, ok);
    if (trigger) this.setState(trigger, events);
    if (this.blocker === cmd) this.unblock();
    if (verb === 'STARTTLS' && ok) {
      this.awaitingTls = true;
      events.push({ type: 'starttls-ready', command: cmd.ref, ...this.framer.drain() });
    }
  }

  private learnCode(code: ResponseCode): void {
    if (code.kind === 'CAPABILITY') this.caps = new Set(code.capabilities);
  }

  private setState(trigger: ImapTrigger, events: ImapEvent[]): void {
    const from = this.currentState;
    const to = transition(from, trigger);
    if (to === from) return;
    this.currentState = to;
    if (to !== 'selected') this.selectedMailbox = null;
    events.push({ type: 'state', from, to });
  }

  tlsEstablished(): ImapEvent[] {
    this.awaitingTls = false;
    this.framer.reset();
    // RFC 9051 6.2.1: capabilities learned before TLS must be discarded.
    this.caps = new Set();
    return this.takeLocalEvents();
  }

  closed(): ImapEvent[] {
    const events = this.takeLocalEvents();
    // A literal cut short still ends, so every payload-start has its payload-end.
    const cut = this.framer.cutPayload;
    if (cut) events.push({ type: 'payload-end', payload: cut.payload, size: cut.size });
    if (this.framer.buffered > 0 || cut) {
      events.push({
        type: 'protocol-error',
        message: 'the connection closed in the middle of a server response',
        ...this.framer.drain(),
        fatal: true,
      });
    }
    for (const cmd of this.pendingList) {
      events.push({
        type: 'completed',
        command: cmd.ref,
        ok: false,
        text: 'connection closed before the reply',
      });
    }
    this.pendingList.length = 0;
    this.byTag.clear();
    this.deferred.length = 0;
    this.blocker = null;
    this.out = [];
    this.awaitingTls = false;
    this.setState('closed', events);
    return events;
  }
}

function safeVerify(mech: SaslMechanism): string | null {
  try {
    return mech.verifySuccess(null);
  } catch (e) {
    return errorText(e);
  }
}

function argText(arg: ImapArg | undefined): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && !Array.isArray(arg)) {
    if ('quoted' in arg) return arg.quoted;
    if ('atom' in arg && typeof arg.atom === 'string') return arg.atom;
    if ('literal' in arg)
      return typeof arg.literal === 'string' ? arg.literal : Buffer.from(arg.literal).toString('utf8');
  }
  return undefined;
}

/** Length of a line without its final CRLF (or LF). */
function lineContentEnd(bytes: Uint8Array): number {
  let end = bytes.length;
  if (bytes[end - 1] === 0x0a) end--;
  if (bytes[end - 1] === 0x0d) end--;
  return end;
}

function hasCommand(list: readonly { readonly ref: CommandRef }[], id: number): boolean {
  for (let i = list.length - 1; i >= 0; i--) if ((list[i] as { ref: CommandRef }).ref.id === id) return true;
  return false;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Removes `item` from `list` in place; the usual case, the newest command, allocates nothing. */
function removeItem<T>(list: T[], item: T): void {
  if (list.length === 0) return;
  if (list[list.length - 1] === item) list.pop();
  else {
    const i = list.indexOf(item);
    if (i >= 0) list.splice(i, 1);
  }
}
