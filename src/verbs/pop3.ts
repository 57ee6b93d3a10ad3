// The POP3 verbs of the palette (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH).
import type { Pop3ClientCodec } from '../protocol/pop3/codec.js';
import { runTyped } from '../session/open.js';
import { nonNegativeInteger, positiveInteger } from './args.js';
import { authenticateWith, mechanismArg, secretArg, userArg } from './sasl.js';
import { messageFrom, pop3Of } from './session-view.js';
import { startTlsVerb } from './starttls.js';
import type { VerbArg, VerbContext, VerbOutcome, VerbSpec } from './types.js';

const AUTHORIZATION = ['authorization'];
const TRANSACTION = ['transaction'];
const CONNECTED = ['authorization', 'transaction'];

async function send(ctx: VerbContext, call: (c: Pop3ClientCodec) => unknown): Promise<VerbOutcome> {
  return { result: await runTyped(ctx.session, pop3Of(ctx.session), call) };
}

function messageArg(optional = false): VerbArg {
  return {
    name: 'message',
    prompt: optional ? 'Message number (empty: every message)' : 'Message number',
    kind: 'choice',
    freeText: true,
    choices: (h) => h.pop3Messages.map(String),
    ...(optional ? { optional: true } : { defaultValue: (h) => (h.pop3Messages[0] ?? 1).toString() }),
    validate: (v) => (optional && v.trim() === '' ? undefined : positiveInteger(v)),
  };
}

const number = (ctx: VerbContext, name = 'message'): number => Number((ctx.args[name] ?? '').trim());
const given = (ctx: VerbContext, name = 'message'): boolean => (ctx.args[name] ?? '').trim() !== '';

function simple(
  id: string,
  verb: string,
  states: readonly string[],
  summary: string,
  call: (c: Pop3ClientCodec) => unknown,
  capability?: string,
): VerbSpec {
  return {
    id: `pop3.${id}`,
    protocol: 'pop3',
    verb,
    title: verb.charAt(0) + verb.slice(1).toLowerCase(),
    summary,
    states,
    ...(capability ? { capability } : {}),
    args: [],
    run: (ctx) => send(ctx, call),
  };
}

/** RETR and TOP bring a message: it is opened as .eml. */
async function withMessage(
  ctx: VerbContext,
  outcome: Promise<VerbOutcome>,
  name: string,
): Promise<VerbOutcome> {
  const done = await outcome;
  if (done.result.outcome !== 'ok') return done;
  const bytes = messageFrom(ctx.session, done.result);
  return bytes ? { ...done, message: { name, bytes } } : done;
}

export const POP3_VERBS: readonly VerbSpec[] = [
  simple('capa', 'CAPA', CONNECTED, 'Ask which extensions the server supports (RFC 2449)', (c) => c.capa()),
  startTlsVerb({
    protocol: 'pop3',
    verb: 'STLS',
    title: 'STLS',
    summary: 'Upgrade this connection to TLS (RFC 2595); ask CAPA again after',
    states: AUTHORIZATION,
    afterwards: 'capabilities from before TLS are forgotten: ask again with POP3: Capa',
    send: (ctx) => send(ctx, (c) => c.stls()),
  }),
  {
    id: 'pop3.userPass',
    protocol: 'pop3',
    verb: 'USER',
    title: 'User/Pass...',
    summary: 'Log in with USER then PASS (the password goes in plain text: use TLS)',
    states: AUTHORIZATION,
    args: [userArg, secretArg('Password')],
    run: async (ctx) => {
      ctx.session.addSecrets([ctx.args.secret ?? '']);
      const user = await send(ctx, (c) => c.user(ctx.args.user ?? ''));
      if (user.result.outcome !== 'ok') return user;
      const pass = await send(ctx, (c) => c.pass(ctx.args.secret ?? ''));
      return { ...pass, steps: [user.result] };
    },
  },
  {
    id: 'pop3.apop',
    protocol: 'pop3',
    verb: 'APOP',
    title: 'APOP...',
    summary: 'Log in with an MD5 digest of the greeting timestamp and the password',
    states: AUTHORIZATION,
    args: [userArg, secretArg('Password')],
    run: async (ctx) => {
      ctx.session.addSecrets([ctx.args.secret ?? '']);
      const codec = pop3Of(ctx.session);
      const outcome = await send(ctx, (c) => c.apop(ctx.args.user ?? '', ctx.args.secret ?? ''));
      return codec && codec.timestamp === undefined && outcome.result.outcome === 'not-sent'
        ? { ...outcome, notice: 'the greeting had no <timestamp>, so this server does not offer APOP' }
        : outcome;
    },
  },
  {
    id: 'pop3.auth',
    protocol: 'pop3',
    verb: 'AUTH',
    title: 'Auth...',
    summary: 'Log in with a SASL mechanism (RFC 5034)',
    states: AUTHORIZATION,
    capability: 'SASL',
    args: [mechanismArg, userArg, secretArg('Password or token')],
    run: (ctx) => authenticateWith(ctx, (mech) => send(ctx, (c) => c.authenticate(mech))),
  },
  simple('stat', 'STAT', TRANSACTION, 'Count the messages in the maildrop and their total size', (c) =>
    c.stat(),
  ),
  {
    id: 'pop3.list',
    protocol: 'pop3',
    verb: 'LIST',
    title: 'List...',
    summary: 'List message numbers and sizes (messages marked deleted are left out)',
    states: TRANSACTION,
    args: [messageArg(true)],
    run: (ctx) => send(ctx, (c) => (given(ctx) ? c.list(number(ctx)) : c.list())),
  },
  {
    id: 'pop3.uidl',
    protocol: 'pop3',
    verb: 'UIDL',
    title: 'Uidl...',
    summary: 'List unique ids: how a client that keeps mail on the server knows what it has seen',
    states: TRANSACTION,
    capability: 'UIDL',
    args: [messageArg(true)],
    run: (ctx) => send(ctx, (c) => (given(ctx) ? c.uidl(number(ctx)) : c.uidl())),
  },
  {
    id: 'pop3.top',
    protocol: 'pop3',
    verb: 'TOP',
    title: 'Top...',
    summary: 'Download the headers and the first lines of a message (does not mark it read)',
    states: TRANSACTION,
    capability: 'TOP',
    args: [
      messageArg(),
      {
        name: 'lines',
        prompt: 'Body lines after the headers',
        kind: 'text',
        defaultValue: () => '0',
        validate: nonNegativeInteger,
      },
    ],
    run: (ctx) =>
      withMessage(
        ctx,
        send(ctx, (c) => c.top(number(ctx), number(ctx, 'lines'))),
        `pop3-top-${number(ctx)}.eml`,
      ),
  },
  {
    id: 'pop3.retr',
    protocol: 'pop3',
    verb: 'RETR',
    title: 'Retr...',
    summary: 'Download a whole message; it stays on the server unless you DELE it and QUIT',
    states: TRANSACTION,
    args: [messageArg()],
    run: (ctx) =>
      withMessage(
        ctx,
        send(ctx, (c) => c.retr(number(ctx))),
        `pop3-message-${number(ctx)}.eml`,
      ),
  },
  {
    id: 'pop3.dele',
    protocol: 'pop3',
    verb: 'DELE',
    title: 'Dele...',
    summary: 'Mark a message deleted; the server deletes it only at QUIT (RSET undoes it)',
    states: TRANSACTION,
    args: [messageArg()],
    run: (ctx) => send(ctx, (c) => c.dele(number(ctx))),
  },
  simple('rset', 'RSET', TRANSACTION, 'Unmark every message marked deleted in this session', (c) => c.rset()),
  simple('noop', 'NOOP', TRANSACTION, 'Do nothing; the server answers +OK', (c) => c.noop()),
  simple(
    'quit',
    'QUIT',
    CONNECTED,
    'End the session; in the transaction state the server now deletes the messages marked deleted',
    (c) => c.quit(),
  ),
];
