// The SMTP verbs of the palette (RFC 5321, RFC 3207 STARTTLS, RFC 4954 AUTH, RFC 3030 BDAT).
import type { SmtpClientCodec } from '../protocol/smtp/codec.js';
import type { SmtpParams } from '../protocol/smtp/commands.js';
import { runTyped } from '../session/open.js';
import type { CommandResult } from '../session/session.js';
import { nonEmptyOneLine, oneLine, smtpAddress, word } from './args.js';
import { authenticateWith, mechanismArg, secretArg, userArg } from './sasl.js';
import { smtpOf } from './session-view.js';
import { testMessage } from './test-message.js';
import { startTlsVerb } from './starttls.js';
import type { VerbArg, VerbContext, VerbOutcome, VerbSpec } from './types.js';

const GREETED = ['greeted', 'ready'];
const READY = ['ready'];
const IN_TRANSACTION = ['ready', 'mail', 'rcpt'];
const ANYTIME = ['greeting-refused', 'greeted', 'ready', 'mail', 'rcpt'];

async function send(ctx: VerbContext, call: (c: SmtpClientCodec) => unknown): Promise<VerbOutcome> {
  return { result: await runTyped(ctx.session, smtpOf(ctx.session), call) };
}

const domainArg: VerbArg = {
  name: 'domain',
  prompt: 'Client domain (your host name as the server should see it)',
  kind: 'text',
  validate: word,
};

const paramsArg: VerbArg = {
  name: 'params',
  prompt: 'ESMTP parameters (optional), e.g. SIZE=1000 BODY=8BITMIME',
  kind: 'text',
  optional: true,
  validate: (v) =>
    oneLine(v) ??
    (v.trim() === '' ||
    /^([A-Za-z0-9][A-Za-z0-9-]*(=\S+)?)(\s+[A-Za-z0-9][A-Za-z0-9-]*(=\S+)?)*$/.test(v.trim())
      ? undefined
      : 'KEYWORD or KEYWORD=value, separated by spaces'),
};

function parseParams(text: string | undefined): SmtpParams | undefined {
  const words = (text ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  const params: Record<string, string | true> = {};
  for (const w of words) {
    const at = w.indexOf('=');
    if (at < 0) params[w] = true;
    else params[w.slice(0, at)] = w.slice(at + 1);
  }
  return params;
}

const bodyArg: VerbArg = { name: 'body', prompt: 'Message to send', kind: 'file' };

function simple(
  id: string,
  verb: string,
  states: readonly string[],
  summary: string,
  call: (c: SmtpClientCodec) => unknown,
): VerbSpec {
  return {
    id: `smtp.${id}`,
    protocol: 'smtp',
    verb,
    // SMTP verbs are written in capitals everywhere (RFC 5321 and every server's replies).
    title: verb,
    summary,
    states,
    args: [],
    run: (ctx) => send(ctx, call),
  };
}

const splitAddresses = (text: string | undefined): string[] =>
  (text ?? '')
    .split(/[,\s]+/)
    .map((a) => a.trim())
    .filter(Boolean);

export const SMTP_VERBS: readonly VerbSpec[] = [
  {
    id: 'smtp.ehlo',
    protocol: 'smtp',
    verb: 'EHLO',
    title: 'EHLO...',
    summary: 'Greet the server and ask for its extensions (SIZE, STARTTLS, AUTH, PIPELINING, ...)',
    states: ['greeted', 'ready', 'mail', 'rcpt'],
    args: [domainArg],
    run: (ctx) => send(ctx, (c) => c.ehlo(ctx.args.domain ?? ctx.clientName)),
  },
  {
    id: 'smtp.helo',
    protocol: 'smtp',
    verb: 'HELO',
    title: 'HELO...',
    summary: 'Greet the server the RFC 821 way: no extensions',
    states: ['greeted', 'ready', 'mail', 'rcpt'],
    args: [domainArg],
    run: (ctx) => send(ctx, (c) => c.helo(ctx.args.domain ?? ctx.clientName)),
  },
  startTlsVerb({
    protocol: 'smtp',
    verb: 'STARTTLS',
    title: 'STARTTLS',
    summary: 'Upgrade this connection to TLS (RFC 3207); EHLO again after',
    states: READY,
    afterwards: 'the server forgot the EHLO: send SMTP: EHLO again',
    send: (ctx) => send(ctx, (c) => c.startTls()),
  }),
  {
    id: 'smtp.auth',
    protocol: 'smtp',
    verb: 'AUTH',
    title: 'AUTH...',
    summary: 'Log in with a SASL mechanism (RFC 4954); submission servers need it before MAIL',
    states: READY,
    capability: 'AUTH',
    args: [mechanismArg, userArg, secretArg('Password or token')],
    run: (ctx) => authenticateWith(ctx, (mech) => send(ctx, (c) => c.authenticate(mech))),
  },
  {
    id: 'smtp.mailFrom',
    protocol: 'smtp',
    verb: 'MAIL',
    title: 'MAIL FROM...',
    summary: 'Start a transaction with the envelope sender (empty: the null sender <> of bounces)',
    states: READY,
    args: [
      {
        name: 'from',
        prompt: 'Envelope sender (empty for <>)',
        kind: 'text',
        optional: true,
        defaultValue: (h) => (h.user ? (h.user.includes('@') ? h.user : undefined) : undefined),
        validate: smtpAddress(true),
      },
      paramsArg,
    ],
    run: (ctx) => send(ctx, (c) => c.mailFrom((ctx.args.from ?? '').trim(), parseParams(ctx.args.params))),
  },
  {
    id: 'smtp.rcptTo',
    protocol: 'smtp',
    verb: 'RCPT',
    title: 'RCPT TO...',
    summary: 'Add an envelope recipient; the reply says whether the server takes mail for it',
    states: ['mail', 'rcpt'],
    args: [
      { name: 'to', prompt: 'Envelope recipient', kind: 'text', validate: smtpAddress(false) },
      paramsArg,
    ],
    run: (ctx) => send(ctx, (c) => c.rcptTo((ctx.args.to ?? '').trim(), parseParams(ctx.args.params))),
  },
  {
    id: 'smtp.data',
    protocol: 'smtp',
    verb: 'DATA',
    title: 'DATA...',
    summary: 'Send the message: DATA, then (after 354) the body, dot-stuffed, ending with CRLF.CRLF',
    states: ['rcpt'],
    args: [bodyArg],
    run: (ctx) => send(ctx, (c) => c.data(ctx.files.body ?? new Uint8Array(0))),
  },
  {
    id: 'smtp.bdat',
    protocol: 'smtp',
    verb: 'BDAT',
    title: 'BDAT...',
    summary: 'Send the message as one binary chunk with its size, no dot-stuffing (RFC 3030 CHUNKING)',
    states: ['rcpt'],
    capability: 'CHUNKING',
    args: [bodyArg],
    run: (ctx) => send(ctx, (c) => c.bdat(ctx.files.body ?? new Uint8Array(0), true)),
  },
  simple('rset', 'RSET', IN_TRANSACTION, 'Abandon the current transaction (envelope and body)', (c) =>
    c.rset(),
  ),
  {
    id: 'smtp.vrfy',
    protocol: 'smtp',
    verb: 'VRFY',
    title: 'VRFY...',
    summary: 'Ask whether an address or user exists (most servers answer 252: cannot verify)',
    states: GREETED,
    args: [{ name: 'target', prompt: 'User or address', kind: 'text', validate: nonEmptyOneLine }],
    run: (ctx) => send(ctx, (c) => c.vrfy((ctx.args.target ?? '').trim())),
  },
  {
    id: 'smtp.expn',
    protocol: 'smtp',
    verb: 'EXPN',
    title: 'EXPN...',
    summary: 'Ask for the members of a mailing list (usually refused)',
    states: GREETED,
    args: [{ name: 'target', prompt: 'List name', kind: 'text', validate: nonEmptyOneLine }],
    run: (ctx) => send(ctx, (c) => c.expn((ctx.args.target ?? '').trim())),
  },
  {
    id: 'smtp.help',
    protocol: 'smtp',
    verb: 'HELP',
    title: 'HELP...',
    summary: 'Ask the server for help text',
    states: ANYTIME,
    args: [{ name: 'topic', prompt: 'Topic (optional)', kind: 'text', optional: true, validate: oneLine }],
    run: (ctx) => send(ctx, (c) => c.help((ctx.args.topic ?? '').trim() || undefined)),
  },
  simple('noop', 'NOOP', ANYTIME, 'Do nothing; the server answers 250', (c) => c.noop()),
  simple('quit', 'QUIT', ANYTIME, 'End the session; the server answers 221 and closes', (c) => c.quit()),
  {
    id: 'smtp.sendTestMessage',
    protocol: 'smtp',
    verb: 'MAIL',
    title: 'Send Test Message...',
    summary:
      'A whole transaction: EHLO when needed, MAIL FROM, RCPT TO each recipient, DATA with a test message',
    states: GREETED,
    args: [
      {
        name: 'from',
        prompt: 'From (envelope sender and From: header)',
        kind: 'text',
        defaultValue: (h) =>
          h.user?.includes('@') ? h.user : h.user ? `${h.user}@example.test` : 'alice@example.test',
        validate: smtpAddress(false),
      },
      {
        name: 'to',
        prompt: 'To (one or more addresses, separated by commas)',
        kind: 'text',
        defaultValue: () => 'bob@example.test',
        validate: (v) => {
          const list = splitAddresses(v);
          if (list.length === 0) return 'at least one recipient';
          for (const a of list) {
            const bad = smtpAddress(false)(a);
            if (bad) return `${a}: ${bad}`;
          }
          return undefined;
        },
      },
      {
        name: 'subject',
        prompt: 'Subject',
        kind: 'text',
        defaultValue: () => 'Mailwire test message',
        validate: oneLine,
      },
    ],
    run: (ctx) => sendTestMessage(ctx),
  },
];

/** Stops at the first refusal: the transaction is left for the user to RSET or retry. */
async function sendTestMessage(ctx: VerbContext): Promise<VerbOutcome> {
  const codec = smtpOf(ctx.session);
  const steps: CommandResult[] = [];
  const step = async (call: (c: SmtpClientCodec) => unknown): Promise<CommandResult> => {
    const result = await runTyped(ctx.session, codec, call);
    steps.push(result);
    return result;
  };
  const finish = (result: CommandResult, notice?: string): VerbOutcome => ({
    result,
    steps: steps.slice(0, -1),
    ...(notice ? { notice } : {}),
  });
  if (ctx.session.state === 'greeted') {
    const ehlo = await step((c) => c.ehlo(ctx.clientName));
    if (ehlo.outcome !== 'ok') return finish(ehlo, 'EHLO was refused; try SMTP: HELO');
  }
  const from = (ctx.args.from ?? '').trim();
  const to = splitAddresses(ctx.args.to);
  const mail = await step((c) => c.mailFrom(from));
  if (mail.outcome !== 'ok')
    return finish(mail, 'MAIL FROM was refused: many servers need AUTH (SMTP: AUTH...) first');
  let accepted = 0;
  for (const rcpt of to) {
    const r = await step((c) => c.rcptTo(rcpt));
    if (r.outcome === 'ok') accepted++;
    if (r.outcome === 'closed' || r.outcome === 'timeout') return finish(r);
  }
  if (accepted === 0) {
    const last = steps[steps.length - 1] ?? mail;
    return finish(last, 'no recipient was accepted; the transaction is still open (SMTP: RSET ends it)');
  }
  const body = testMessage({
    from,
    to,
    subject: ctx.args.subject ?? 'Mailwire test message',
    domain: ctx.clientName,
  });
  const data = await step((c) => c.data(body));
  return finish(
    data,
    data.outcome === 'ok'
      ? `accepted for ${accepted} of ${to.length} recipient${to.length === 1 ? '' : 's'}: ${data.text}`
      : undefined,
  );
}
