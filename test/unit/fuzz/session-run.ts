// The session share of the fuzzing: the same inputs, played through a MailSession over the
// in-memory transport, with typed commands mixed in. Each case must end with a closed session
// whose transcript holds every byte the session was given, whose file form reads back, and whose
// every command promise has resolved.
import fc from 'fast-check';
import { MailSession, type CommandResult } from '../../../src/session/session.js';
import { runTyped } from '../../../src/session/open.js';
import { eventToJson, parseTranscriptJsonl } from '../../../src/transcript/jsonl.js';
import { ImapClientCodec } from '../../../src/protocol/imap/index.js';
import { Pop3ClientCodec } from '../../../src/protocol/pop3/index.js';
import { SmtpClientCodec } from '../../../src/protocol/smtp/index.js';
import type { CommandRef, Protocol } from '../../../src/protocol/types.js';
import { openMemorySession } from '../../helpers/memory-transport.js';
import { fuzzSteps, type ProtocolProfile, type Step } from './harness.js';

type Typed = (session: MailSession, seen: (ref: CommandRef) => void) => Promise<CommandResult>;

function typedCall<C>(call: (c: C) => unknown): Typed {
  return (s, seen) =>
    runTyped(s, s.codec as C, (c) => {
      const ref = call(c);
      if (typeof ref === 'object' && ref !== null && typeof (ref as { id?: unknown }).id === 'number')
        seen(ref as CommandRef);
      return ref;
    });
}
const imap = (call: (c: ImapClientCodec) => unknown): Typed => typedCall(call);
const pop3 = (call: (c: Pop3ClientCodec) => unknown): Typed => typedCall(call);
const smtp = (call: (c: SmtpClientCodec) => unknown): Typed => typedCall(call);

/** Typed commands, including ones the codec must refuse (bad arguments, wrong state). */
const TYPED: Readonly<Record<Protocol, readonly Typed[]>> = {
  imap: [
    imap((c) => c.command('NOOP')),
    imap((c) => c.command('CAPABILITY')),
    imap((c) => c.login('alice', 'pa ss"\\')),
    imap((c) => c.select('INBOX')),
    imap((c) => c.select('bad\r\nname')),
    imap((c) => c.command('FETCH', ['1:*', '(FLAGS)'])),
    imap((c) => c.command('APPEND', ['INBOX', { literal: 'x'.repeat(40) }])),
    imap((c) => c.command('LOGIN', ['a\0b', 'c'])),
    imap((c) => c.idle()),
    imap((c) => {
      c.done();
      return undefined;
    }),
  ],
  pop3: [
    pop3((c) => c.capa()),
    pop3((c) => c.user('alice')),
    pop3((c) => c.pass('secret')),
    pop3((c) => c.user('bad\r\nname')),
    pop3((c) => c.stat()),
    pop3((c) => c.retr(1)),
    pop3((c) => c.retr(-1)),
    pop3((c) => c.top(1, 0)),
    pop3((c) => c.quit()),
  ],
  smtp: [
    smtp((c) => c.ehlo('client.test')),
    smtp((c) => c.mailFrom('a@b.test')),
    smtp((c) => c.rcptTo('c@d.test')),
    smtp((c) => c.rcptTo('bad\r\naddress')),
    smtp((c) => c.data(Buffer.from('Subject: x\r\n\r\n.line\r\n'))),
    smtp((c) => c.bdat(Buffer.from('abc'), true)),
    smtp((c) => c.noop()),
    smtp((c) => c.quit()),
  ],
};

export interface SessionCase {
  readonly steps: readonly Step[];
  /** Typed commands to run, each before the step with the same index (taken modulo). */
  readonly typed: ReadonlyArray<readonly [number, number]>;
}

export function sessionCases(profile: ProtocolProfile): fc.Arbitrary<SessionCase> {
  return fc.record({
    steps: fuzzSteps(profile),
    typed: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
  });
}

const OUTCOMES = new Set(['ok', 'failed', 'timeout', 'closed', 'not-sent']);

/** Plays one case through a session; throws an error naming the first rule it breaks. */
export async function checkSessionRun(profile: ProtocolProfile, c: SessionCase): Promise<void> {
  const { transport, session } = await openMemorySession(profile.protocol);
  const fed: Buffer[] = [];
  const results: Array<Promise<CommandResult>> = [];
  // Which command each call made, and whether its promise has settled yet.
  const calls: Array<{ ref: CommandRef | undefined; settled: boolean }> = [];
  let lastRef: CommandRef | undefined;
  const codec = session.codec;
  const sendRaw = codec.sendRaw.bind(codec);
  codec.sendRaw = (line) => (lastRef = sendRaw(line));
  const track = (start: () => Promise<CommandResult>): void => {
    lastRef = undefined;
    const promise = start();
    const call = { ref: lastRef, settled: false };
    calls.push(call);
    results.push(promise.finally(() => (call.settled = true)));
  };
  const typed = TYPED[profile.protocol];
  for (let i = 0; i < c.steps.length; i++) {
    for (const [at, which] of c.typed)
      if (at % c.steps.length === i)
        track(() => typed[which % typed.length]!(session, (ref) => (lastRef = ref)));
    const step = c.steps[i]!;
    if (step.kind === 'client') track(() => session.sendRaw(step.line));
    else
      for (const piece of step.pieces) {
        // Bytes that reach a closed session are not its bytes: a real socket is gone by then.
        if (session.status === 'closed') break;
        transport.serverSends(piece);
        fed.push(piece);
      }
    // Let a STARTTLS upgrade (a promise) move on, as the event loop would between packets.
    await Promise.resolve();
  }
  await new Promise((resolve) => setImmediate(resolve));
  // Before the close: a call whose command the codec is not waiting on must have its answer
  // already (refused, or a line nothing can reply to), not wait for the reply timeout.
  const waiting = new Set(
    [...codec.pending, ...((codec as { queuedCommands?: readonly CommandRef[] }).queuedCommands ?? [])].map(
      (r) => r.id,
    ),
  );
  for (const call of calls)
    if (!call.settled && session.status !== 'closed' && (call.ref === undefined || !waiting.has(call.ref.id)))
      throw new Error(
        `a ${call.ref?.verb ?? 'refused'} command waits although the codec expects no reply to it`,
      );
  transport.serverCloses();
  const settled = await Promise.race([
    Promise.all(results),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2_000).unref()),
  ]);
  try {
    if (settled === undefined) throw new Error('a command result never resolved after the connection closed');
    for (const r of settled) {
      if (!OUTCOMES.has(r.outcome)) throw new Error(`unknown outcome ${r.outcome}`);
      if (typeof r.text !== 'string') throw new Error('result without text');
    }
    if (session.status !== 'closed') throw new Error(`session is ${session.status} after the server closed`);
    if (session.codec.pending.length > 0) throw new Error('commands pending after close');
    const recorded = session.transcript.bytesOf('S');
    const given = Buffer.concat(fed);
    if (!recorded.equals(given))
      throw new Error(`transcript holds ${recorded.length} server bytes of the ${given.length} received`);
    const internal = session.transcript.events.find((e) => e.dir === 'L' && /internal/.test(e.text));
    if (internal && internal.dir === 'L') throw new Error(`internal error noted: ${internal.text}`);
    const file = session.transcript.events.map((e) => eventToJson(e) + '\n').join('');
    const back = parseTranscriptJsonl(file);
    if (back.errors.length > 0 || back.events.length !== session.transcript.events.length)
      throw new Error(`transcript file does not read back: ${back.errors.join('; ')}`);
    session.transcript.render();
  } finally {
    session.transcript.dispose();
  }
}
