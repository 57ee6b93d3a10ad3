// Shared machinery of the fuzz tests: per-protocol inputs (recorded real dialogues and their
// mutations, protocol-shaped fragments, random bytes), a driver that feeds them to a codec, and
// the checks every case must pass (see `checkCodecRun`).
//
// Case counts come from MAILWIRE_FUZZ_RUNS (codec cases per protocol; 100,000 in `npm test`) and
// MAILWIRE_FUZZ_SESSION_RUNS (cases through a MailSession; 1,000), so `npm run fuzz` can scale
// them up without another copy of the tests. MAILWIRE_FUZZ_SEED replays one run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CommandRef, Protocol } from '../../../src/protocol/types.js';
import type { AnyCodec, AnyEvent } from '../../../src/session/session.js';
import { createCodec } from '../../../src/session/open.js';
import type { ImapState } from '../../../src/protocol/imap/index.js';
import type { Pop3State } from '../../../src/protocol/pop3/index.js';
import type { SmtpState } from '../../../src/protocol/smtp/index.js';
import { reassemble } from '../smtp/dialogue.js';

export const CODEC_RUNS = positive(process.env['MAILWIRE_FUZZ_RUNS'], 100_000);
export const SESSION_RUNS = positive(process.env['MAILWIRE_FUZZ_SESSION_RUNS'], 1_000);
export const SEED = process.env['MAILWIRE_FUZZ_SEED'] ? Number(process.env['MAILWIRE_FUZZ_SEED']) : undefined;

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
}

/** fast-check parameters shared by every fuzz property. */
export function params(numRuns: number): fc.Parameters<unknown> {
  return { numRuns, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: false };
}

// Completeness is checked by the compiler: a state added to a codec must be added here.
const IMAP_STATES: Record<ImapState, true> = {
  connecting: true,
  'not-authenticated': true,
  authenticated: true,
  selected: true,
  logout: true,
};
const POP3_STATES: Record<Pop3State, true> = {
  connecting: true,
  authorization: true,
  transaction: true,
  update: true,
  closed: true,
};
const SMTP_STATES: Record<SmtpState, true> = {
  connecting: true,
  'greeting-refused': true,
  greeted: true,
  ready: true,
  mail: true,
  rcpt: true,
  data: true,
  'tls-handshake': true,
  quit: true,
  closed: true,
};

export interface ProtocolProfile {
  readonly protocol: Protocol;
  readonly states: ReadonlySet<string>;
  /** The state every codec must be in after `closed()`. */
  readonly closedState: string;
  /** Server-side fragments that hit the parser's edges. */
  readonly fragments: readonly string[];
  /** Client lines, sent raw. */
  readonly commands: readonly string[];
  /** Recorded real dialogues (test/fixtures/recorded) and the codec tests' text fixtures. */
  readonly dialogues: readonly Dialogue[];
}

export interface Chunk {
  readonly dir: 'C' | 'S';
  readonly bytes: Buffer;
}

export interface Dialogue {
  readonly name: string;
  readonly chunks: readonly Chunk[];
}

const RECORDED = join(__dirname, '..', '..', 'fixtures', 'recorded');

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

/** Recorded real dialogues, plus the hand-written `S:`/`C:` fixtures of the codec tests. */
function recorded(protocol: Protocol): Dialogue[] {
  return [...realDialogues(protocol), ...textDialogues(protocol)];
}

/** `S: line` and `C: line` fixtures; consecutive server lines become one chunk, as one packet. */
function textDialogues(protocol: Protocol): Dialogue[] {
  const folder = join(FIXTURES, protocol);
  return readdirSync(folder)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((name) => {
      const chunks: Chunk[] = [];
      for (const line of readFileSync(join(folder, name), 'utf8').split('\n')) {
        const m = /^([SC]): ?(.*)$/.exec(line);
        if (!m) continue;
        const bytes = Buffer.from(`${m[2]}\r\n`, 'utf8');
        const dir = m[1] as 'C' | 'S';
        const last = chunks[chunks.length - 1];
        if (dir === 'S' && last?.dir === 'S')
          chunks[chunks.length - 1] = { dir, bytes: Buffer.concat([last.bytes, bytes]) };
        else chunks.push({ dir, bytes });
      }
      return { name: `${protocol}/${name}`, chunks };
    });
}

function realDialogues(protocol: Protocol): Dialogue[] {
  return readdirSync(RECORDED)
    .filter((f) => f.endsWith('.jsonl') && f.includes(protocol))
    .sort()
    .map((name) => ({
      name,
      chunks: readFileSync(join(RECORDED, name), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { dir: 'C' | 'S'; b64: string })
        .map((o) => ({ dir: o.dir, bytes: Buffer.from(o.b64, 'base64') })),
    }));
}

const COMMON_FRAGMENTS = ['\r\n', '\n', '\r', ' ', '\0', '\xff', '\u00e9', 'abc', '\t', '0', '4294967296'];

export const PROFILES: Readonly<Record<Protocol, ProtocolProfile>> = {
  imap: {
    protocol: 'imap',
    states: new Set(Object.keys(IMAP_STATES)),
    closedState: 'logout',
    fragments: [
      ...COMMON_FRAGMENTS,
      '* OK hi\r\n',
      '* PREAUTH x\r\n',
      '* BYE bye\r\n',
      '* ',
      '+ ',
      '+ \r\n',
      '+ eyJzdGF0dXMiOiI0MDAifQ==\r\n',
      'A1 ',
      'a001 OK done\r\n',
      'a002 NO [ALERT] x\r\n',
      'a003 BAD\r\n',
      // Accepts the STARTTLS of the commands below, whatever follows it in the same chunk.
      'a006 OK Begin TLS negotiation now\r\n',
      'OK ',
      'NO ',
      'BAD ',
      '[',
      ']',
      '(',
      ')',
      '"',
      '\\',
      '{3}\r\n',
      '{0}\r\n',
      '{5+}\r\n',
      '~{2}\r\n',
      '{99999999999999999}\r\n',
      '{300000}\r\n',
      '* 1 FETCH (',
      'BODY[] ',
      'BODY[HEADER]<0> ',
      'ENVELOPE (NIL NIL ((NIL NIL "a" "b")) NIL NIL NIL NIL NIL NIL NIL)',
      'BODYSTRUCTURE ("text" "plain" NIL NIL NIL "7bit" 1 1)',
      'UID 4294967295 ',
      'FLAGS (\\Seen $x) ',
      '* LIST (\\Noselect) "/" INBOX\r\n',
      '* CAPABILITY IMAP4rev1 STARTTLS LITERAL+\r\n',
      '* OK [UIDVALIDITY 0] x\r\n',
      '* 3 EXISTS\r\n',
      '* 2 EXPUNGE\r\n',
      '* ESEARCH (TAG "a1") ALL 1:*\r\n',
      '* NAMESPACE (("" "/")) NIL NIL\r\n',
      '* STATUS INBOX (MESSAGES 1)\r\n',
      'NIL ',
    ],
    commands: [
      'a001 CAPABILITY',
      'a002 NOOP',
      'a003 LOGIN alice secret',
      'a004 SELECT INBOX',
      'a005 FETCH 1:* (FLAGS)',
      'a006 STARTTLS',
      'a007 AUTHENTICATE PLAIN',
      'a008 IDLE',
      'DONE',
      'a009 LOGIN {5}',
      'hello',
      'a010 APPEND INBOX {3+}',
      'abc',
      'a011 LOGOUT',
      '*',
      'x',
    ],
    dialogues: recorded('imap'),
  },
  pop3: {
    protocol: 'pop3',
    states: new Set(Object.keys(POP3_STATES)),
    closedState: 'closed',
    fragments: [
      ...COMMON_FRAGMENTS,
      '+OK',
      '+OK hi <1.2@x>\r\n',
      '-ERR',
      '-ERR [AUTH] no\r\n',
      '-ERR [SYS/TEMP] x\r\n',
      '+ ',
      '+ \r\n',
      '+ abc=\r\n',
      '.\r\n',
      '..\r\n',
      '.x\r\n',
      '1 20\r\n',
      '1 uid-1\r\n',
      '+OK 2 30\r\n',
      'SASL PLAIN LOGIN\r\n',
      'STLS\r\n',
      '[',
      '+',
    ],
    commands: [
      'CAPA',
      'USER alice',
      'PASS secret',
      'APOP alice 0123456789abcdef0123456789abcdef',
      'AUTH PLAIN',
      'AUTH',
      'dGVzdA==',
      '*',
      'STAT',
      'LIST',
      'LIST 1',
      'UIDL',
      'RETR 1',
      'TOP 1 0',
      'DELE 1',
      'STLS',
      'NOOP',
      'QUIT',
    ],
    dialogues: recorded('pop3'),
  },
  smtp: {
    protocol: 'smtp',
    states: new Set(Object.keys(SMTP_STATES)),
    closedState: 'closed',
    fragments: [
      ...COMMON_FRAGMENTS,
      '220 hi\r\n',
      '220-hi\r\n',
      '250-PIPELINING\r\n',
      '250-STARTTLS\r\n',
      '250-AUTH PLAIN LOGIN\r\n',
      '250-SIZE 10\r\n',
      '250 OK\r\n',
      '250',
      '250-',
      '354 go\r\n',
      '421 bye\r\n',
      '334 VXNlcm5hbWU6\r\n',
      '334 \r\n',
      '235 ok\r\n',
      '535 5.7.8 no\r\n',
      '550 5.1.1 no\r\n',
      '554 no\r\n',
      '221 bye\r\n',
      '2',
      '.',
      '999 x\r\n',
    ],
    commands: [
      'EHLO x',
      'HELO x',
      'MAIL FROM:<a@b>',
      'RCPT TO:<c@d>',
      'DATA',
      'hello',
      '.',
      'BDAT 1 LAST',
      'STARTTLS',
      'AUTH LOGIN',
      'AUTH PLAIN',
      'dXNlcg==',
      '*',
      'RSET',
      'NOOP',
      'QUIT',
    ],
    dialogues: recorded('smtp'),
  },
};

// ---- Inputs -------------------------------------------------------------------------------------

/** One step of a fuzz case: bytes from the server (in pieces), or a raw client line. */
export type Step =
  | { readonly kind: 'server'; readonly pieces: readonly Buffer[] }
  | { readonly kind: 'client'; readonly line: Buffer };

export type Mutation =
  | { readonly op: 'flip'; readonly at: number; readonly value: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Buffer }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly length: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'line-ending'; readonly at: number; readonly ending: Buffer };

/** Applies a mutation at a position taken modulo the buffer's length (so any number fits). */
export function mutate(bytes: Buffer, m: Mutation): Buffer {
  const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
  switch (m.op) {
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const copy = Buffer.from(bytes);
      copy[at % bytes.length] = m.value;
      return copy;
    }
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
    case 'duplicate':
      return Buffer.concat([
        bytes.subarray(0, at + m.length),
        bytes.subarray(at, at + m.length),
        bytes.subarray(at + m.length),
      ]);
    case 'truncate':
      return bytes.subarray(0, at);
    case 'line-ending': {
      // Replace the next CRLF at or after `at` with another ending (bare LF, bare CR, none).
      const crlf = bytes.indexOf('\r\n', at);
      if (crlf < 0) return bytes;
      return Buffer.concat([bytes.subarray(0, crlf), m.ending, bytes.subarray(crlf + 2)]);
    }
  }
}

function fragmentBytes(profile: ProtocolProfile): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...profile.fragments).map((f) => Buffer.from(f, 'latin1')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 24 }).map((u) => Buffer.from(u)) },
  );
}

function mutation(profile: ProtocolProfile): fc.Arbitrary<Mutation> {
  const at = fc.nat({ max: 20_000 });
  return fc.oneof(
    fc.record({ op: fc.constant('flip' as const), at, value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ op: fc.constant('insert' as const), at, bytes: fragmentBytes(profile) }),
    fc.record({ op: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ op: fc.constant('duplicate' as const), at, length: fc.integer({ min: 1, max: 200 }) }),
    fc.record({ op: fc.constant('truncate' as const), at }),
    fc.record({
      op: fc.constant('line-ending' as const),
      at,
      ending: fc.constantFrom(Buffer.from('\n'), Buffer.from('\r'), Buffer.alloc(0), Buffer.from('\r\r\n')),
    }),
  );
}

/** Cuts `bytes` at the given offsets (taken modulo the length). */
export function cut(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  if (offsets.length === 0 || bytes.length < 2) return [bytes];
  const points = [...new Set(offsets.map((o) => o % bytes.length))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    if (p === prev) continue;
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

/**
 * A recorded dialogue (possibly only its first part), with mutations applied to its server
 * chunks and every server chunk re-cut at random points.
 */
function mutatedDialogue(profile: ProtocolProfile): fc.Arbitrary<Step[]> {
  return fc
    .record({
      dialogue: fc.constantFrom(...profile.dialogues),
      // Most cases play a prefix of the dialogue: as thorough per byte, and much cheaper.
      upTo: fc.oneof(
        { weight: 3, arbitrary: fc.nat({ max: 12 }) },
        { weight: 1, arbitrary: fc.constant(-1) },
      ),
      mutations: fc.array(fc.tuple(fc.nat(), mutation(profile)), { minLength: 1, maxLength: 4 }),
      cuts: fc.array(fc.nat(), { maxLength: 6 }),
    })
    .map(({ dialogue, upTo, mutations, cuts }) => {
      const chunks = upTo < 0 ? dialogue.chunks : dialogue.chunks.slice(0, upTo + 1);
      const server = chunks.map((c) => c.bytes);
      const serverIndexes = chunks.flatMap((c, i) => (c.dir === 'S' ? [i] : []));
      for (const [which, m] of mutations) {
        if (serverIndexes.length === 0) break;
        const i = serverIndexes[which % serverIndexes.length]!;
        server[i] = mutate(server[i]!, m);
      }
      return chunks.map((c, i): Step =>
        c.dir === 'C' ? { kind: 'client', line: c.bytes } : { kind: 'server', pieces: cut(server[i]!, cuts) },
      );
    });
}

/** Protocol-shaped soup: fragments and random bytes, interleaved with raw client lines. */
function soup(profile: ProtocolProfile): fc.Arbitrary<Step[]> {
  const server = fc
    .tuple(
      fc.array(fragmentBytes(profile), { minLength: 1, maxLength: 12 }),
      fc.array(fc.nat(), { maxLength: 3 }),
    )
    .map(([parts, cuts]): Step => ({ kind: 'server', pieces: cut(Buffer.concat(parts), cuts) }));
  const client = fc
    .constantFrom(...profile.commands)
    .map((line): Step => ({ kind: 'client', line: Buffer.from(line, 'latin1') }));
  return fc.array(fc.oneof({ weight: 3, arbitrary: server }, { weight: 2, arbitrary: client }), {
    minLength: 1,
    maxLength: 10,
  });
}

/** Every kind of input, weighted towards mutated real dialogues. */
export function fuzzSteps(profile: ProtocolProfile): fc.Arbitrary<Step[]> {
  return fc.oneof(
    { weight: 3, arbitrary: mutatedDialogue(profile) },
    { weight: 2, arbitrary: soup(profile) },
  );
}

// ---- Checks -------------------------------------------------------------------------------------

export interface CodecRun {
  readonly events: AnyEvent[];
  readonly received: Buffer;
}

/**
 * Plays the steps against a fresh codec the way a session does (STARTTLS accepted at once) and
 * checks, after every call: nothing thrown, the state is one of the protocol's states, pending
 * commands are distinct and in the order they were sent, no command completes twice or without
 * having been sent. After `closed()`: every byte received is in the events exactly once, in
 * order; streamed payloads are balanced; nothing is pending and every command has completed; the
 * state is the closed state. Throws an assertion error describing the first broken rule.
 */
export function checkCodecRun(profile: ProtocolProfile, steps: readonly Step[]): CodecRun {
  const codec: AnyCodec = createCodec(profile.protocol);
  const events: AnyEvent[] = [];
  const received: Buffer[] = [];
  const issued = new Set<number>();
  const completed = new Set<number>();
  const unanswerable = new Set<number>();
  let maxIssued = 0;

  const absorb = (batch: readonly AnyEvent[], where: string): void => {
    for (const e of batch) {
      events.push(e);
      if (e.type === 'completed') {
        const id = (e as unknown as { command: CommandRef }).command.id;
        if (!issued.has(id)) fail(`${where}: command ${id} completed but was never sent`);
        if (completed.has(id)) fail(`${where}: command ${id} completed twice`);
        completed.add(id);
      }
    }
    if (!profile.states.has(codec.state)) fail(`${where}: unknown state ${codec.state}`);
    let last = 0;
    for (const p of codec.pending) {
      if (p.id <= last)
        fail(`${where}: pending commands out of order (${codec.pending.map((c) => c.id).join(',')})`);
      if (completed.has(p.id)) fail(`${where}: command ${p.id} still pending after it completed`);
      if (!issued.has(p.id)) fail(`${where}: command ${p.id} pending but never sent`);
      last = p.id;
    }
  };

  const tlsIfReady = (batch: readonly AnyEvent[]): void => {
    if (batch.some((e) => e.type === 'starttls-ready')) absorb(codec.tlsEstablished(), 'tlsEstablished');
  };

  for (const step of steps) {
    if (step.kind === 'client') {
      const ref = codec.sendRaw(step.line);
      // A raw line inside an exchange (literal data, a SASL answer) belongs to the open command.
      if (ref.id > maxIssued) {
        if (issued.has(ref.id)) fail(`sendRaw reused id ${ref.id}`);
        maxIssued = ref.id;
      } else if (!issued.has(ref.id) || completed.has(ref.id)) {
        fail(`sendRaw returned id ${ref.id}, which is neither new nor an open command`);
      }
      issued.add(ref.id);
      absorb((codec as AnyCodec & { takeEvents?: () => AnyEvent[] }).takeEvents?.() ?? [], 'sendRaw');
      // An IMAP line without a tag is written and forgotten: nothing can answer it.
      // SMTP and POP3 hold a line back (queued, not yet pending) while the connection is unusable.
      const queued = (codec as AnyCodec & { queuedCommands?: readonly CommandRef[] }).queuedCommands ?? [];
      const waiting = [...codec.pending, ...queued];
      if (!completed.has(ref.id) && !waiting.some((p) => p.id === ref.id)) {
        if (profile.protocol !== 'imap') fail(`sendRaw id ${ref.id} neither pending nor completed`);
        unanswerable.add(ref.id);
      }
      codec.takeOutgoing();
      continue;
    }
    for (const piece of step.pieces) {
      received.push(piece);
      const batch = codec.receive(piece);
      absorb(batch, 'receive');
      tlsIfReady(batch);
      codec.takeOutgoing();
    }
  }
  absorb(codec.closed(), 'closed');
  const all = Buffer.concat(received);
  const rebuilt = reassemble(events);
  if (!rebuilt.equals(all)) fail(`bytes lost or changed: ${describeDifference(all, rebuilt)}`);
  checkPayloads(events);
  if (codec.pending.length > 0) fail(`pending after close: ${codec.pending.map((c) => c.id).join(',')}`);
  const unfinished = [...issued].filter((id) => !completed.has(id) && !unanswerable.has(id));
  if (unfinished.length > 0) fail(`commands never completed: ${unfinished.join(',')}`);
  if (codec.state !== profile.closedState) fail(`state after close is ${codec.state}`);
  return { events, received: all };
}

/** Every payload starts once, gets chunks only while open, and ends with the size of its chunks. */
function checkPayloads(events: readonly AnyEvent[]): void {
  const open = new Map<number, number>();
  const done = new Set<number>();
  for (const e of events) {
    const p = e as unknown as { payload: number; chunk?: Uint8Array; size?: number };
    if (e.type === 'payload-start') {
      if (open.has(p.payload) || done.has(p.payload)) fail(`payload ${p.payload} started twice`);
      open.set(p.payload, 0);
    } else if (e.type === 'payload-chunk') {
      const size = open.get(p.payload);
      if (size === undefined) fail(`payload ${p.payload} chunk outside start/end`);
      open.set(p.payload, (size ?? 0) + (p.chunk?.length ?? 0));
    } else if (e.type === 'payload-end') {
      const size = open.get(p.payload);
      if (size === undefined) fail(`payload ${p.payload} ended without a start`);
      if (size !== p.size) fail(`payload ${p.payload} ended with size ${p.size} after ${size} bytes`);
      open.delete(p.payload);
      done.add(p.payload);
    }
  }
  if (open.size > 0) fail(`payloads never ended: ${[...open.keys()].join(',')}`);
}

function describeDifference(expected: Buffer, actual: Buffer): string {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  return `${expected.length} bytes in, ${actual.length} out, first difference at ${i}`;
}

function fail(message: string): never {
  throw new Error(message);
}

/** A short description of a case for failure messages. */
export function describeSteps(steps: readonly Step[]): string {
  return steps
    .map((s) =>
      s.kind === 'client'
        ? `C:${JSON.stringify(s.line.toString('latin1'))}`
        : `S:${JSON.stringify(Buffer.concat(s.pieces).toString('latin1').slice(0, 200))}`,
    )
    .join(' ');
}
