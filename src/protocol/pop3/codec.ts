// The sans-I/O POP3 client codec (RFC 1939, 2449, 2595, 5034, 3206).

import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { decodeBase64Strict, encodeBase64 } from '../base64.js';
import { limitMessage } from '../limits.js';
import { LineSplitter } from '../lines.js';
import {
  beforeTlsBytes,
  failedAtClose,
  internalCodecError,
  lineContentEnd,
  rawLineBytes,
  rawSaslAnswers,
} from '../line-codec-support.js';
import type { SaslMechanism } from '../sasl/types.js';
import {
  NOTHING,
  type ClientCodec,
  type CommandRef,
  type Mutable,
  type Outgoing,
  type PayloadPlacement,
} from '../types.js';
import { parseCapa, type Pop3Capabilities } from './capa.js';
import * as cmd from './commands.js';
import type { ClientError, Pop3Data, Pop3Event } from './events.js';
import { parseListLine, parseTwoNumbers, parseUidlLine, type ListEntry, type UidlEntry } from './listings.js';
import { MultilineBody, type MultilineResult } from './multiline.js';
import { utf8Line, utf8Text } from '../text.js';
import { pop3Transition, type Pop3State } from './states.js';
import { apopTimestamp, parseStatusLine, type StatusLine } from './status.js';

interface Command {
  readonly ref: CommandRef;
  readonly shape: cmd.Pop3ResponseShape;
  readonly raw: boolean;
  readonly outgoing: Outgoing[];
  /** AUTH: the mechanism that answers challenges (absent for a raw AUTH). */
  readonly mech?: SaslMechanism;
}

type Status = Extract<StatusLine, { kind: 'status' }>;

interface Collecting {
  readonly command: Command;
  readonly status: Status;
  readonly statusRaw: Buffer;
  readonly body: MultilineBody;
}

const CLOSED: ClientError = { type: 'client-error', message: 'the connection is closed' };

export class Pop3ClientCodec implements ClientCodec<Pop3Event, Pop3State> {
  readonly protocol = 'pop3' as const;
  private current: Pop3State = 'connecting';
  private readonly splitter = new LineSplitter();
  private nextId = 1;
  private nextPayload = 1;
  private queued: Command[] = [];
  private inFlight: Command[] = [];
  private out: Outgoing[] = [];
  private collecting: Collecting | undefined;
  private capaData: Pop3Capabilities | undefined;
  private greetingTimestamp: string | undefined;
  /** STLS accepted, TLS not yet established: nothing is parsed or sent. */
  private upgrading = false;
  /** A raw AUTH got a challenge and waits for the user's response line. */
  private awaitingSasl = false;
  /** A raw AUTH's answer lines not sent yet, and those sent before their prompt arrived. */
  private saslAnswersLeft = 0;
  private saslAnswersAhead = 0;

  get state(): Pop3State {
    return this.current;
  }

  get pending(): readonly CommandRef[] {
    return this.inFlight.map((c) => c.ref);
  }

  awaitsReply(id: number): boolean {
    return this.inFlight.some((c) => c.ref.id === id) || this.queued.some((c) => c.ref.id === id);
  }

  /** Commands accepted but held back (waiting for a reply, pipelining rules or TLS), oldest first. */
  get queuedCommands(): readonly CommandRef[] {
    return this.queued.map((c) => c.ref);
  }

  /** The last CAPA response, parsed; forgotten after STLS. */
  get capabilities(): Pop3Capabilities | undefined {
    return this.capaData;
  }

  /** The greeting's APOP timestamp, if any. */
  get timestamp(): string | undefined {
    return this.greetingTimestamp;
  }

  receive(chunk: Uint8Array): Pop3Event[] {
    const events: Pop3Event[] = [];
    try {
      if (this.upgrading) {
        events.push(beforeTlsBytes('STLS', chunk));
        return events;
      }
      this.splitter.push(chunk);
      // Stop as soon as STLS is accepted: the rest belongs to starttls-ready, unparsed.
      while (!this.upgrading) {
        const item = this.splitter.next();
        if (item === null) break;
        const c = this.collecting;
        if (c !== undefined) {
          if (item.kind === 'line') {
            const result = c.body.line(item.raw, item.content, events);
            if (result !== null) this.finishMultiline(c, result, events);
          } else if (c.command.shape === 'message') c.body.piece(item.raw, item.final, events);
          else events.push(this.overlong(item.raw));
          continue;
        }
        if (item.kind === 'overlong') {
          events.push(this.overlong(item.raw));
          continue;
        }
        const parsed = parseStatusLine(utf8Text(item.raw, 0, item.contentLength));
        if (parsed === null) {
          events.push({
            type: 'protocol-error',
            message: 'not a POP3 status line (expected +OK or -ERR)',
            fatal: false,
            raw: item.raw,
          });
        } else this.onStatus(parsed, item.raw, events);
      }
      this.collecting?.body.flush(events);
      this.release();
    } catch (e) {
      events.push(internalCodecError(e, this.splitter.drain()));
    }
    return events;
  }

  takeOutgoing(): readonly Outgoing[] {
    if (this.out.length === 0) return NOTHING;
    const out = this.out;
    this.out = [];
    return out;
  }

  sendRaw(line: string | Uint8Array): CommandRef {
    const bytes = rawLineBytes(line);
    const head = this.queued.length === 0 ? this.inFlight[this.inFlight.length - 1] : undefined;
    if (
      head !== undefined &&
      (this.awaitingSasl || this.saslAnswersLeft > 0) &&
      head.ref.verb === 'AUTH' &&
      head.mech === undefined
    ) {
      // An answer to a prompt, or one sent ahead of the prompt (pipelined): secret either way.
      if (this.awaitingSasl) this.awaitingSasl = false;
      else {
        this.saslAnswersLeft--;
        this.saslAnswersAhead++;
      }
      this.out.push({
        bytes,
        command: head.ref,
        secrets: [[0, lineContentEnd(bytes)]],
      });
      return head.ref;
    }
    // A typed line is read as typed: decoding its bytes again gives the same text.
    const text = typeof line === 'string' ? line : bytes.toString('utf8');
    const { verb, args } = cmd.splitCommand(text);
    const ref = this.ref(verb);
    this.saslAnswersLeft = verb === 'AUTH' ? rawSaslAnswers(text) : 0;
    this.saslAnswersAhead = 0;
    const secret = verb === 'PASS' || verb === 'APOP' || (verb === 'AUTH' && args.length > 1);
    const outgoing: Outgoing = secret
      ? { bytes, command: ref, secrets: [secretTail(bytes, verb)] }
      : { bytes, command: ref };
    this.enqueue({ ref, shape: cmd.shapeOf(verb, args), raw: true, outgoing: [outgoing] });
    return ref;
  }

  tlsEstablished(): Pop3Event[] {
    if (!this.upgrading)
      return [{ type: 'client-error', message: 'tlsEstablished() called but no STLS was accepted' }];
    // RFC 2595 section 4: the client must discard cached capabilities after the upgrade.
    this.upgrading = false;
    this.capaData = undefined;
    this.release();
    return [];
  }

  closed(): Pop3Event[] {
    const events: Pop3Event[] = [];
    let leftover: Buffer = Buffer.alloc(0);
    let payloads: PayloadPlacement[] | undefined;
    if (this.collecting !== undefined) {
      const held = this.collecting.body.abandon(events);
      const statusRaw = this.collecting.statusRaw;
      if (held.streamed) payloads = [{ ...held.streamed, offset: statusRaw.length }];
      leftover = Buffer.concat([statusRaw, held.raw]);
      this.collecting = undefined;
    }
    leftover = Buffer.concat([leftover, this.splitter.drain()]);
    if (leftover.length > 0) {
      const message = 'connection closed in the middle of a response';
      events.push({
        type: 'protocol-error',
        message,
        fatal: true,
        raw: leftover,
        ...(payloads ? { payloads } : {}),
      });
    }
    events.push(
      ...failedAtClose([...this.inFlight, ...this.queued], 'connection closed before the response'),
    );
    this.inFlight = [];
    this.queued = [];
    this.upgrading = false;
    if (this.current !== 'closed') events.push(this.setState('closed'));
    return events;
  }

  // ---- Commands -------------------------------------------------------------------------------

  capa(): CommandRef | ClientError {
    return this.send(cmd.build('CAPA'));
  }
  stls(): CommandRef | ClientError {
    return this.send(cmd.build('STLS'));
  }
  user(name: string): CommandRef | ClientError {
    return this.send(cmd.build('USER', name));
  }
  /** PASS; the password may contain spaces (RFC 1939 section 7) and is marked secret. */
  pass(password: string): CommandRef | ClientError {
    if (this.current === 'closed') return CLOSED;
    if (/[\r\n\0]/.test(password))
      return { type: 'client-error', message: 'PASS: the password must not contain CR, LF or NUL' };
    const bytes = Buffer.from(`PASS ${password}\r\n`, 'utf8');
    const ref = this.ref('PASS');
    this.enqueue({
      ref,
      shape: 'status',
      raw: false,
      outgoing: [{ bytes, command: ref, secrets: [[5, bytes.length - 2]] }],
    });
    return ref;
  }
  /** APOP user md5(timestamp + password); needs the greeting's timestamp. The digest is secret. */
  apop(user: string, password: string): CommandRef | ClientError {
    if (this.current === 'closed') return CLOSED;
    if (this.greetingTimestamp === undefined)
      return { type: 'client-error', message: 'APOP: the greeting had no timestamp' };
    const digest = createHash('md5')
      .update(this.greetingTimestamp + password, 'utf8')
      .digest('hex');
    const built = cmd.build('APOP', user, digest);
    if (!built.ok) return { type: 'client-error', message: 'APOP: the user name must be one word' };
    const bytes = Buffer.from(built.line + '\r\n', 'utf8');
    const ref = this.ref('APOP');
    this.enqueue({
      ref,
      shape: 'status',
      raw: false,
      outgoing: [{ bytes, command: ref, secrets: [[bytes.length - 2 - digest.length, bytes.length - 2]] }],
    });
    return ref;
  }
  /** AUTH (RFC 5034) with the initial response when the mechanism has one. */
  authenticate(mech: SaslMechanism): CommandRef | ClientError {
    if (this.current === 'closed') return CLOSED;
    let initial: Uint8Array | null;
    try {
      initial = mech.initialResponse();
    } catch {
      return {
        type: 'client-error',
        message: `AUTH ${mech.name}: the mechanism could not build its first message`,
      };
    }
    const b64 = initial === null ? null : initial.length === 0 ? '=' : encodeBase64(initial);
    const built = b64 === null ? cmd.build('AUTH', mech.name) : cmd.build('AUTH', mech.name, b64);
    if (!built.ok) return { type: 'client-error', message: `AUTH: bad mechanism name` };
    const bytes = Buffer.from(built.line + '\r\n');
    const ref = this.ref('AUTH');
    const secrets: Array<readonly [number, number]> =
      b64 === null ? [] : [[bytes.length - 2 - b64.length, bytes.length - 2]];
    this.enqueue({ ref, shape: 'status', raw: false, mech, outgoing: [{ bytes, command: ref, secrets }] });
    return ref;
  }
  stat(): CommandRef | ClientError {
    return this.send(cmd.build('STAT'));
  }
  list(n?: number): CommandRef | ClientError {
    return n === undefined ? this.send(cmd.build('LIST')) : this.numbered('LIST', n);
  }
  uidl(n?: number): CommandRef | ClientError {
    return n === undefined ? this.send(cmd.build('UIDL')) : this.numbered('UIDL', n);
  }
  top(n: number, lines: number): CommandRef | ClientError {
    const m = cmd.messageNumber('TOP', n);
    if (typeof m !== 'string') return { type: 'client-error', message: m.error };
    if (!Number.isSafeInteger(lines) || lines < 0)
      return { type: 'client-error', message: 'TOP: the line count must be a non-negative integer' };
    return this.send(cmd.build('TOP', m, String(lines)));
  }
  retr(n: number): CommandRef | ClientError {
    return this.numbered('RETR', n);
  }
  dele(n: number): CommandRef | ClientError {
    return this.numbered('DELE', n);
  }
  rset(): CommandRef | ClientError {
    return this.send(cmd.build('RSET'));
  }
  noop(): CommandRef | ClientError {
    return this.send(cmd.build('NOOP'));
  }
  quit(): CommandRef | ClientError {
    return this.send(cmd.build('QUIT'));
  }

  // ---- Internals ------------------------------------------------------------------------------

  private numbered(verb: string, n: number): CommandRef | ClientError {
    const m = cmd.messageNumber(verb, n);
    return typeof m === 'string' ? this.send(cmd.build(verb, m)) : { type: 'client-error', message: m.error };
  }

  private ref(verb: string): CommandRef {
    return { id: this.nextId++, verb };
  }

  private send(built: cmd.Built): CommandRef | ClientError {
    if (this.current === 'closed') return CLOSED;
    if (!built.ok) return { type: 'client-error', message: built.error };
    const ref = this.ref(built.verb);
    this.enqueue({
      ref,
      shape: built.shape,
      raw: false,
      outgoing: [{ bytes: utf8Line(built.line, true), command: ref }],
    });
    return ref;
  }

  private enqueue(c: Command): void {
    this.queued.push(c);
    this.release();
  }

  /** One command at a time; the user's raw lines go out at once (never while TLS is pending). */
  private release(): void {
    for (let next = this.queued[0]; next !== undefined && !this.upgrading; next = this.queued[0]) {
      if (this.current === 'closed' || (!next.raw && this.inFlight.length > 0)) return;
      this.queued.shift();
      this.inFlight.push(next);
      // A loop, not push(...spread): the spread's builtin call costs more than the copy.
      for (let i = 0; i < next.outgoing.length; i++) this.out.push(next.outgoing[i] as Outgoing);
    }
  }

  private setState(to: Pop3State): Pop3Event {
    const from = this.current;
    this.current = to;
    return { type: 'state', from, to };
  }

  private moveTo(to: Pop3State, events: Pop3Event[]): void {
    if (to !== this.current) events.push(this.setState(to));
  }

  private overlong(raw: Buffer): Pop3Event {
    return {
      type: 'protocol-error',
      message: limitMessage('POP3 response line', 'maxLineLength'),
      limit: 'maxLineLength',
      fatal: false,
      raw,
    };
  }

  private onStatus(st: StatusLine, raw: Buffer, events: Pop3Event[]): void {
    if (this.current === 'connecting') {
      if (st.kind === 'continuation') {
        events.push({
          type: 'protocol-error',
          message: 'expected a +OK or -ERR greeting',
          fatal: false,
          raw,
        });
        return;
      }
      const timestamp = st.ok ? apopTimestamp(st.text) : undefined;
      this.greetingTimestamp = timestamp;
      events.push({
        type: 'greeting',
        ok: st.ok,
        text: st.text,
        raw,
        ...(st.respCode ? { respCode: st.respCode } : {}),
        ...(timestamp ? { timestamp } : {}),
      });
      this.moveTo(pop3Transition(this.current, '(greeting)', st.ok), events);
      return;
    }
    const c = this.inFlight[0];
    if (c === undefined) {
      if (st.kind === 'continuation')
        events.push({
          type: 'protocol-error',
          message: 'a continuation line with no command waiting',
          fatal: false,
          raw,
        });
      else
        events.push({
          type: 'response',
          ok: st.ok,
          text: st.text,
          raw,
          ...(st.respCode ? { respCode: st.respCode } : {}),
        });
      return;
    }
    if (st.kind === 'continuation') {
      if (c.ref.verb !== 'AUTH') {
        events.push({
          type: 'protocol-error',
          message: `a continuation line in reply to ${c.ref.verb}`,
          fatal: false,
          raw,
        });
        return;
      }
      events.push({ type: 'continuation', command: c.ref, text: st.text, raw });
      this.answerChallenge(c, st.text, events);
      return;
    }
    if (st.ok && isMultiline(c.shape)) {
      this.collecting = {
        command: c,
        status: st,
        statusRaw: raw,
        body: new MultilineBody(c.shape === 'message', () => this.nextPayload++),
      };
      return;
    }
    this.complete(c, st, raw, st.ok ? singleLineData(c.shape, st.text) : NO_DATA, events);
  }

  private finishMultiline(c: Collecting, result: MultilineResult, events: Pop3Event[]): void {
    this.collecting = undefined;
    if (result.kind === 'streamed') {
      const ref = { payload: result.payload, size: result.size };
      this.complete(
        c.command,
        c.status,
        Buffer.concat([c.statusRaw, result.raw]),
        {
          payloads: [{ ...ref, offset: c.statusRaw.length }],
          data: { kind: 'message', size: result.size, payload: ref },
        },
        events,
      );
      return;
    }
    const raw = Buffer.concat([c.statusRaw, result.raw]);
    const parsed = multilineData(c.command.shape, result.body);
    const malformed = result.truncated
      ? { malformed: 'response too large: its first part went out in a protocol-error; data covers the rest' }
      : {};
    this.complete(c.command, c.status, raw, { ...parsed, ...malformed }, events);
  }

  private complete(c: Command, st: Status, raw: Buffer, parts: ResponseParts, events: Pop3Event[]): void {
    this.inFlight.shift();
    let ok = st.ok;
    let text = st.text;
    if (c.ref.verb === 'AUTH') {
      this.awaitingSasl = false;
      this.saslAnswersLeft = this.saslAnswersAhead = 0;
      if (ok && c.mech !== undefined) {
        let problem: string | null;
        try {
          problem = c.mech.verifySuccess(null);
        } catch {
          problem = `the ${c.mech.name} mechanism could not check the server's success`;
        }
        if (problem !== null) {
          events.push({ type: 'sasl-error', command: c.ref, message: problem });
          ok = false;
          text = problem;
        }
      }
    }
    // Built field by field: spreads of the optional parts cost an allocation each, per command.
    const response: Mutable<Extract<Pop3Event, { type: 'response' }>> = {
      type: 'response',
      command: c.ref,
      ok: st.ok,
      text: st.text,
      raw,
    };
    if (st.respCode) response.respCode = st.respCode;
    if (parts.payloads) response.payloads = parts.payloads;
    if (parts.data) response.data = parts.data;
    if (parts.malformed !== undefined) response.malformed = parts.malformed;
    events.push(response);
    if (parts.data?.kind === 'capa') {
      this.capaData = parts.data.capabilities;
      events.push({ type: 'capabilities', capabilities: this.capaData, command: c.ref });
    }
    this.moveTo(pop3Transition(this.current, c.ref.verb, ok), events);
    events.push({ type: 'completed', command: c.ref, ok, text });
    if (c.ref.verb === 'STLS' && st.ok) {
      this.upgrading = true;
      events.push({ type: 'starttls-ready', command: c.ref, raw: this.splitter.drain() });
    }
    this.release();
  }

  private answerChallenge(c: Command, text: string, events: Pop3Event[]): void {
    if (c.mech === undefined) {
      // A prompt for an answer the user already sent is not a prompt for the next line.
      if (this.saslAnswersAhead > 0) this.saslAnswersAhead--;
      else this.awaitingSasl = true;
      return;
    }
    const challenge = decodeBase64Strict(text.trim());
    let answer: { ok: true; bytes: Uint8Array } | { ok: false; reason: string };
    if (challenge === null) answer = { ok: false, reason: 'the server challenge is not valid base64' };
    else {
      try {
        const step = c.mech.respond(challenge);
        answer =
          step.kind === 'respond' ? { ok: true, bytes: step.response } : { ok: false, reason: step.reason };
      } catch {
        answer = { ok: false, reason: `the ${c.mech.name} mechanism failed on the server challenge` };
      }
    }
    if (answer.ok) {
      const b64 = encodeBase64(answer.bytes);
      this.out.push({
        bytes: Buffer.from(b64 + '\r\n'),
        command: c.ref,
        secrets: b64.length > 0 ? [[0, b64.length]] : [],
      });
    } else {
      events.push({ type: 'sasl-error', command: c.ref, message: answer.reason });
      this.out.push({ bytes: Buffer.from('*\r\n'), command: c.ref });
    }
  }
}

function isMultiline(shape: cmd.Pop3ResponseShape): boolean {
  return shape === 'capa' || shape === 'list' || shape === 'uidl' || shape === 'message' || shape === 'lines';
}

/** Secret part of a raw line: PASS's argument, APOP's digest or AUTH's initial response (last word). */
function secretTail(bytes: Buffer, verb: string): readonly [number, number] {
  const end = lineContentEnd(bytes);
  const text = bytes.subarray(0, end).toString('latin1');
  const start =
    verb === 'PASS' ? Math.min(text.indexOf(' ') + 1 || end, end) : text.lastIndexOf(' ') + 1 || end;
  return [start, end];
}

/** What a response carries besides its status line and bytes. */
interface ResponseParts {
  readonly payloads?: readonly { payload: number; size: number; offset: number }[];
  readonly data?: Pop3Data;
  readonly malformed?: string;
}
const NO_DATA: ResponseParts = {};

function singleLineData(shape: cmd.Pop3ResponseShape, text: string): ResponseParts {
  switch (shape) {
    case 'stat': {
      const n = parseTwoNumbers(text);
      return n
        ? { data: { kind: 'stat', count: n[0], size: n[1] } }
        : { malformed: 'STAT reply is not "count size"' };
    }
    case 'list-one': {
      const e = parseListLine(text);
      return e
        ? { data: { kind: 'list', entries: [e], malformed: [] } }
        : { malformed: 'LIST reply is not "message size"' };
    }
    case 'uidl-one': {
      const e = parseUidlLine(text);
      return e
        ? { data: { kind: 'uidl', entries: [e], malformed: [] } }
        : { malformed: 'UIDL reply is not "message unique-id"' };
    }
    default:
      return NO_DATA;
  }
}

function multilineData(shape: cmd.Pop3ResponseShape, body: Buffer): { data: Pop3Data } {
  if (shape === 'message') return { data: { kind: 'message', size: body.length, bytes: body } };
  const lines = body.toString('utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (shape === 'capa') return { data: { kind: 'capa', capabilities: parseCapa(lines) } };
  if (shape === 'list' || shape === 'uidl') {
    const entries: Array<ListEntry | UidlEntry> = [];
    const malformed: string[] = [];
    for (const l of lines) {
      const e = shape === 'list' ? parseListLine(l) : parseUidlLine(l);
      if (e === null) malformed.push(l);
      else entries.push(e);
    }
    return shape === 'list'
      ? { data: { kind: 'list', entries: entries as ListEntry[], malformed } }
      : { data: { kind: 'uidl', entries: entries as UidlEntry[], malformed } };
  }
  return { data: { kind: 'lines', lines } };
}
