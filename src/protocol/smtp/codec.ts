// The sans-I/O SMTP client codec (RFC 5321 with the extensions listed in ./index.ts).

import { Buffer } from 'node:buffer';
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
import { NOTHING, type ClientCodec, type CommandRef, type Outgoing } from '../types.js';
import * as cmd from './commands.js';
import { encodeDataBody } from './data.js';
import { parseEhlo, type EhloCapabilities } from './ehlo.js';
import type { ClientError, SmtpEvent } from './events.js';
import { ReplyAssembler, type SmtpReply } from './reply.js';
import { smtpTransition, type SmtpState } from './states.js';

interface Command {
  readonly ref: CommandRef;
  /** Verb used by the state table (`BDAT LAST` for the last chunk). */
  readonly tableVerb: string;
  readonly raw: boolean;
  /** Bytes written when the command is released. */
  readonly outgoing: Outgoing[];
  /** DATA: the body, sent after 354. */
  readonly body?: Uint8Array;
  /** AUTH: the mechanism that answers 334 challenges (absent for a raw AUTH). */
  readonly mech?: SaslMechanism;
}

// RFC 2920: these may be followed by more commands without waiting; DATA ends a group.
const GROUP_CONTINUES = new Set(['MAIL', 'RCPT', 'RSET']);
const GROUPABLE = new Set(['MAIL', 'RCPT', 'RSET', 'DATA']);

const CLOSED: ClientError = { type: 'client-error', message: 'the connection is closed' };

export class SmtpClientCodec implements ClientCodec<SmtpEvent, SmtpState> {
  readonly protocol = 'smtp' as const;
  private current: SmtpState = 'connecting';
  private readonly splitter = new LineSplitter();
  private readonly assembler = new ReplyAssembler();
  private nextId = 1;
  private queued: Command[] = [];
  private inFlight: Command[] = [];
  private out: Outgoing[] = [];
  private ehloData: EhloCapabilities | undefined;

  get state(): SmtpState {
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

  /** The last successful EHLO reply, parsed; forgotten after STARTTLS. */
  get capabilities(): EhloCapabilities | undefined {
    return this.ehloData;
  }

  receive(chunk: Uint8Array): SmtpEvent[] {
    const events: SmtpEvent[] = [];
    try {
      if (this.current === 'tls-handshake') {
        events.push(beforeTlsBytes('STARTTLS', chunk));
        return events;
      }
      this.splitter.push(chunk);
      for (let item = this.splitter.next(); item !== null; item = this.splitter.next()) {
        if (item.kind === 'overlong') {
          const partial = this.assembler.abandon();
          events.push({
            type: 'protocol-error',
            message: limitMessage('SMTP reply line', 'maxLineLength'),
            limit: 'maxLineLength',
            fatal: false,
            raw: partial ? Buffer.concat([partial, item.raw]) : item.raw,
          });
          continue;
        }
        const r = this.assembler.line(item.content, item.raw);
        if (r === null) continue;
        if (r.kind === 'error') {
          events.push({
            type: 'protocol-error',
            message: r.message,
            fatal: r.fatal === true,
            raw: r.raw,
            ...(r.limit ? { limit: r.limit } : {}),
          });
          continue;
        }
        this.onReply(r.reply, r.raw, events);
        if (this.upgrading()) break;
      }
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
    const text = bytes.toString('utf8');
    // A line typed during a raw SASL exchange or a raw DATA body belongs to that command.
    const head = this.inFlight[0];
    const tail = this.queued.length === 0 ? this.inFlight[this.inFlight.length - 1] : undefined;
    if (
      tail?.tableVerb === 'AUTH' &&
      tail.mech === undefined &&
      (this.awaitingSasl || this.saslAnswersLeft > 0)
    ) {
      // An answer to a prompt, or one sent ahead of the prompt (pipelined): secret either way.
      if (this.awaitingSasl) this.awaitingSasl = false;
      else {
        this.saslAnswersLeft--;
        this.saslAnswersAhead++;
      }
      this.out.push({ bytes, command: tail.ref, secrets: [[0, lineContentEnd(bytes)]] });
      return tail.ref;
    }
    if (head !== undefined && this.inFlight.length === 1 && this.queued.length === 0) {
      if (head.tableVerb === 'DATA' && head.body === undefined && this.current === 'data') {
        this.out.push({ bytes, command: head.ref, payload: true });
        return head.ref;
      }
    }
    const verb = cmd.verbOf(text);
    const ref = this.ref(verb);
    this.saslAnswersLeft = verb === 'AUTH' ? rawSaslAnswers(text) : 0;
    this.saslAnswersAhead = 0;
    const tableVerb = verb === 'BDAT' && /\bLAST\s*$/i.test(text) ? 'BDAT LAST' : verb;
    // A raw `AUTH mech initial-response`: the initial response is a secret.
    const initial = verb === 'AUTH' ? /^\s*\S+\s+\S+\s+(\S+)/.exec(text) : null;
    const secrets: Array<readonly [number, number]> = [];
    if (initial?.[1] !== undefined) {
      const end = Buffer.byteLength(initial[0]);
      secrets.push([end - Buffer.byteLength(initial[1]), end]);
    }
    this.enqueue({
      ref,
      tableVerb,
      raw: true,
      outgoing: [{ bytes, command: ref, ...(secrets.length ? { secrets } : {}) }],
    });
    return ref;
  }

  tlsEstablished(): SmtpEvent[] {
    if (this.current !== 'tls-handshake') {
      return [{ type: 'client-error', message: 'tlsEstablished() called but no STARTTLS was accepted' }];
    }
    // RFC 3207 section 4.2: discard all knowledge obtained from the server before TLS.
    this.ehloData = undefined;
    const events: SmtpEvent[] = [this.setState('greeted')];
    this.release();
    return events;
  }

  closed(): SmtpEvent[] {
    const events: SmtpEvent[] = [];
    const partial = this.assembler.abandon();
    const rest = this.splitter.drain();
    const leftover = partial ? Buffer.concat([partial, rest]) : rest;
    if (leftover.length > 0) {
      events.push({
        type: 'protocol-error',
        message: 'connection closed in the middle of a reply',
        fatal: true,
        raw: leftover,
      });
    }
    events.push(...failedAtClose([...this.inFlight, ...this.queued], 'connection closed before the reply'));
    this.inFlight = [];
    this.queued = [];
    if (this.current !== 'closed') events.push(this.setState('closed'));
    return events;
  }

  // ---- Commands -------------------------------------------------------------------------------

  ehlo(domain: string): CommandRef | ClientError {
    return this.build(cmd.ehlo(domain));
  }
  helo(domain: string): CommandRef | ClientError {
    return this.build(cmd.helo(domain));
  }
  startTls(): CommandRef | ClientError {
    return this.build(cmd.simple('STARTTLS'));
  }
  mailFrom(address: string, params?: cmd.SmtpParams): CommandRef | ClientError {
    return this.build(cmd.mailFrom(address, params));
  }
  rcptTo(address: string, params?: cmd.SmtpParams): CommandRef | ClientError {
    return this.build(cmd.rcptTo(address, params));
  }
  /** DATA, then (after 354) the dot-stuffed body and its terminator. */
  data(body: Uint8Array): CommandRef | ClientError {
    return this.build(cmd.simple('DATA'), { body });
  }
  /** BDAT (RFC 3030): the chunk is sent as is, right after the command line. */
  bdat(chunk: Uint8Array, last: boolean): CommandRef | ClientError {
    if (this.current === 'closed') return CLOSED;
    const built = cmd.bdat(chunk.length, last);
    if (!built.ok) return { type: 'client-error', message: built.error };
    const ref = this.ref('BDAT');
    const outgoing: Outgoing[] = [{ bytes: Buffer.from(built.line + '\r\n'), command: ref }];
    if (chunk.length > 0) outgoing.push({ bytes: chunk, command: ref, payload: true });
    this.enqueue({ ref, tableVerb: last ? 'BDAT LAST' : 'BDAT', raw: false, outgoing });
    return ref;
  }
  rset(): CommandRef | ClientError {
    return this.build(cmd.simple('RSET'));
  }
  vrfy(arg: string): CommandRef | ClientError {
    return this.build(cmd.simple('VRFY', arg));
  }
  expn(arg: string): CommandRef | ClientError {
    return this.build(cmd.simple('EXPN', arg));
  }
  noop(): CommandRef | ClientError {
    return this.build(cmd.simple('NOOP'));
  }
  help(topic?: string): CommandRef | ClientError {
    return this.build(cmd.simple('HELP', topic));
  }
  quit(): CommandRef | ClientError {
    return this.build(cmd.simple('QUIT'));
  }

  /** AUTH (RFC 4954) with the initial response when the mechanism has one; 334s are answered. */
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
    const built = cmd.auth(mech.name, b64);
    if (!built.ok) return { type: 'client-error', message: built.error };
    const ref = this.ref('AUTH');
    const bytes = Buffer.from(built.line + '\r\n');
    const secretStart = bytes.length - 2 - (b64?.length ?? 0);
    const secrets: Array<readonly [number, number]> = b64 === null ? [] : [[secretStart, bytes.length - 2]];
    this.enqueue({ ref, tableVerb: 'AUTH', raw: false, mech, outgoing: [{ bytes, command: ref, secrets }] });
    return ref;
  }

  // ---- Internals ------------------------------------------------------------------------------

  /** A raw AUTH got a 334 and waits for the user's response line. */
  private awaitingSasl = false;
  /** A raw AUTH's answer lines not sent yet, and those sent before their prompt arrived. */
  private saslAnswersLeft = 0;
  private saslAnswersAhead = 0;

  /** Narrowing-proof check (the state changes inside the receive loop). */
  private upgrading(): boolean {
    return this.current === 'tls-handshake';
  }

  private ref(verb: string): CommandRef {
    return { id: this.nextId++, verb };
  }

  private build(built: cmd.Built, extra?: { body: Uint8Array }): CommandRef | ClientError {
    if (this.current === 'closed') return CLOSED;
    if (!built.ok) return { type: 'client-error', message: built.error };
    const ref = this.ref(built.verb);
    const bytes = Buffer.from(built.line + '\r\n', 'utf8');
    this.enqueue({ ref, tableVerb: built.verb, raw: false, outgoing: [{ bytes, command: ref }], ...extra });
    return ref;
  }

  private enqueue(c: Command): void {
    this.queued.push(c);
    this.release();
  }

  /** Moves queued commands to the wire while the pipelining rules allow. */
  private release(): void {
    for (let next = this.queued[0]; next !== undefined && this.canRelease(next); next = this.queued[0]) {
      this.queued.shift();
      this.inFlight.push(next);
      this.out.push(...next.outgoing);
    }
  }

  private canRelease(c: Command): boolean {
    if (this.current === 'tls-handshake' || this.current === 'closed') return false;
    // The user's raw lines go out at once: exploring a server includes breaking its rules.
    if (c.raw || this.inFlight.length === 0) return true;
    if (this.ehloData?.pipelining !== true) return false;
    return GROUPABLE.has(c.tableVerb) && this.inFlight.every((f) => GROUP_CONTINUES.has(f.tableVerb));
  }

  private setState(to: SmtpState): SmtpEvent {
    const from = this.current;
    this.current = to;
    return { type: 'state', from, to };
  }

  private moveTo(to: SmtpState, events: SmtpEvent[]): void {
    if (to !== this.current) events.push(this.setState(to));
  }

  private onReply(reply: SmtpReply, raw: Buffer, events: SmtpEvent[]): void {
    if (this.current === 'connecting') {
      events.push({ type: 'greeting', reply, raw });
      this.moveTo(smtpTransition(this.current, '(greeting)', reply.code), events);
      return;
    }
    const c = this.inFlight[0];
    if (c === undefined) {
      events.push({ type: 'reply', reply, raw });
      if (reply.code === 421) this.moveTo('closed', events);
      return;
    }
    events.push({ type: 'reply', reply, command: c.ref, raw });
    if (reply.code >= 300 && reply.code < 400 && this.onIntermediate(c, reply, events)) return;

    this.inFlight.shift();
    let ok = reply.code < 400;
    let text = reply.text;
    if (c.tableVerb === 'AUTH') {
      this.awaitingSasl = false;
      this.saslAnswersLeft = this.saslAnswersAhead = 0;
      if (ok && c.mech !== undefined) {
        const problem = this.verify(c.mech, reply);
        if (problem !== null) {
          events.push({ type: 'sasl-error', command: c.ref, message: problem });
          ok = false;
          text = problem;
        }
      }
    }
    if (c.tableVerb === 'EHLO') {
      if (reply.code === 250) {
        this.ehloData = parseEhlo(reply.lines);
        events.push({ type: 'capabilities', capabilities: this.ehloData, command: c.ref });
      } else this.ehloData = undefined;
    }
    if (c.tableVerb === 'HELO' && reply.code === 250) this.ehloData = undefined;
    this.moveTo(smtpTransition(this.current, c.tableVerb, reply.code), events);
    events.push({ type: 'completed', command: c.ref, ok, text });
    if (this.current === 'tls-handshake') {
      events.push({ type: 'starttls-ready', command: c.ref, raw: this.splitter.drain() });
    }
    this.release();
  }

  /** Handles 354 and 334; returns false when the 3xx is final for this command. */
  private onIntermediate(c: Command, reply: SmtpReply, events: SmtpEvent[]): boolean {
    if (c.tableVerb === 'DATA' && reply.code === 354) {
      const recipients = this.current === 'rcpt';
      this.moveTo(smtpTransition(this.current, 'DATA', 354), events);
      if (c.body === undefined) return true;
      if (recipients) this.out.push({ bytes: encodeDataBody(c.body), command: c.ref, payload: true });
      else {
        // RFC 2920 section 3.1: a pipelined DATA accepted although no recipient was: end it empty.
        this.out.push({ bytes: Buffer.from('.\r\n'), command: c.ref });
        events.push({
          type: 'client-error',
          message: 'DATA got 354 but no recipient was accepted: sent "." instead of the message',
        });
      }
      return true;
    }
    if (c.tableVerb === 'AUTH' && reply.code === 334) {
      if (c.mech === undefined) {
        // A prompt for an answer the user already sent is not a prompt for the next line.
        if (this.saslAnswersAhead > 0) this.saslAnswersAhead--;
        else this.awaitingSasl = true;
        return true;
      }
      const challenge = decodeBase64Strict(reply.lines.join('').trim());
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
        const bytes = Buffer.from(b64 + '\r\n');
        this.out.push({ bytes, command: c.ref, secrets: b64.length > 0 ? [[0, b64.length]] : [] });
      } else {
        events.push({ type: 'sasl-error', command: c.ref, message: answer.reason });
        this.out.push({ bytes: Buffer.from('*\r\n'), command: c.ref });
      }
      return true;
    }
    return false;
  }

  private verify(mech: SaslMechanism, reply: SmtpReply): string | null {
    // Some servers put SASL additional data in the 235 text (base64); plain words are not data.
    const candidate = reply.lines.join('').trim();
    const data = candidate !== '' && !candidate.includes(' ') ? decodeBase64Strict(candidate) : null;
    try {
      return mech.verifySuccess(data);
    } catch {
      return `the ${mech.name} mechanism could not check the server's success message`;
    }
  }
}
