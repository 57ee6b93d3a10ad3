// The IMAP verbs of the palette (RFC 9051, RFC 3501 and the extensions each names).
import { encodeMailboxName } from '../protocol/imap/mutf7.js';
import type { ImapClientCodec } from '../protocol/imap/codec.js';
import type { ImapArg } from '../protocol/imap/compiler.js';
import { runTyped } from '../session/open.js';
import {
  balanced,
  imapFlagList,
  imapSequenceSet,
  isYes,
  nonEmptyOneLine,
  oneLine,
  parseFlags,
} from './args.js';
import { authenticateWith, mechanismArg, secretArg, userArg } from './sasl.js';
import { startTlsVerb } from './starttls.js';
import { advertised, imapOf, messageFrom } from './session-view.js';
import type { VerbArg, VerbContext, VerbOutcome, VerbSpec } from './types.js';

const NOT_AUTHENTICATED = ['not-authenticated'];
const AUTHENTICATED = ['authenticated', 'selected'];
const SELECTED = ['selected'];
const ANY = ['not-authenticated', 'authenticated', 'selected'];

export const HEADER_ITEMS = '(UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)';
const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'];

function imap(ctx: VerbContext): ImapClientCodec | undefined {
  return imapOf(ctx.session);
}

async function send(ctx: VerbContext, call: (c: ImapClientCodec) => unknown): Promise<VerbOutcome> {
  return { result: await runTyped(ctx.session, imap(ctx), call) };
}

/** Non-ASCII names go in modified UTF-7 unless the server takes UTF-8 (RFC 9051 5.1, RFC 6855). */
function wireMailbox(codec: ImapClientCodec | undefined, name: string): string {
  if (!codec || codec.capabilities.has('IMAP4REV2') || codec.enabled.has('UTF8=ACCEPT')) return name;
  return encodeMailboxName(name);
}

function mailboxArg(name = 'mailbox', prompt = 'Mailbox', fallback?: string): VerbArg {
  return {
    name,
    prompt,
    kind: 'choice',
    freeText: true,
    choices: (h) => h.mailboxes,
    ...(fallback !== undefined ? { defaultValue: () => fallback } : {}),
    validate: nonEmptyOneLine,
  };
}

const newMailboxArg = (name: string, prompt: string): VerbArg => ({
  name,
  prompt,
  kind: 'text',
  placeholder: 'e.g. Archive/2026 (the server says which hierarchy delimiter it uses in LIST)',
  validate: nonEmptyOneLine,
});

function setArg(defaultSet: (count: number | undefined) => string): VerbArg {
  return {
    name: 'set',
    prompt: 'Messages (sequence numbers, or UIDs when UID is chosen)',
    kind: 'text',
    placeholder: '1:10, 2,4:7, 1:* or $',
    defaultValue: (h) => defaultSet(h.messageCount),
    validate: imapSequenceSet,
  };
}

const lastN = (n: number) => (count: number | undefined) =>
  count === undefined || count === 0 ? '1:*' : `${Math.max(1, count - n + 1)}:${count}`;

const uidArg: VerbArg = {
  name: 'uid',
  prompt: 'Numbers are',
  kind: 'choice',
  choices: () => ['false', 'true'],
  defaultValue: () => 'false',
};

const uidVerb = (ctx: VerbContext, verb: string) => (isYes(ctx.args.uid) ? `UID ${verb}` : verb);

const set = (ctx: VerbContext): ImapArg => ({ sequence: (ctx.args.set ?? '').trim() });

function flagListArg(): VerbArg {
  return {
    name: 'flags',
    prompt: 'Flags',
    kind: 'choice',
    freeText: true,
    placeholder: '\\Seen, or (\\Seen \\Flagged)',
    choices: (h) => (h.flags.length > 0 ? h.flags.filter((f) => f !== '\\*') : SYSTEM_FLAGS),
    defaultValue: () => '\\Seen',
    validate: (v) => (v.trim() === '' ? 'at least one flag' : imapFlagList(v)),
  };
}

/** `\Seen` or `(\Seen \Flagged)` as the parenthesized list STORE and APPEND take. */
function flagList(value: string): ImapArg {
  return { verbatim: `(${parseFlags(value).join(' ')})` };
}

function simple(
  id: string,
  verb: string,
  states: readonly string[],
  summary: string,
  capability?: string,
): VerbSpec {
  return {
    id: `imap.${id}`,
    protocol: 'imap',
    verb,
    title: verb.charAt(0) + verb.slice(1).toLowerCase(),
    summary,
    states,
    ...(capability ? { capability } : {}),
    args: [],
    run: (ctx) => send(ctx, (c) => c.command(verb)),
  };
}

export const IMAP_VERBS: readonly VerbSpec[] = [
  simple('capability', 'CAPABILITY', ANY, 'Ask which capabilities and extensions the server supports now'),
  simple('noop', 'NOOP', ANY, 'Do nothing; lets the server report changes (new mail, expunges)'),
  startTlsVerb({
    protocol: 'imap',
    verb: 'STARTTLS',
    title: 'StartTLS',
    summary: 'Upgrade this connection to TLS (RFC 9051 6.2.1); capabilities must be asked again after',
    states: NOT_AUTHENTICATED,
    afterwards: 'capabilities from before TLS are forgotten: ask again with IMAP: Capability',
    send: (ctx) => send(ctx, (c) => c.startTls()),
  }),
  {
    id: 'imap.login',
    protocol: 'imap',
    verb: 'LOGIN',
    title: 'Login...',
    summary: 'Log in with a user name and a password in plain text (use TLS)',
    states: NOT_AUTHENTICATED,
    args: [userArg, secretArg('Password')],
    run: async (ctx) => {
      ctx.session.addSecrets([ctx.args.secret ?? '']);
      const outcome = await send(ctx, (c) => c.login(ctx.args.user ?? '', ctx.args.secret ?? ''));
      const caps = advertised(ctx.session);
      return caps?.has('LOGINDISABLED')
        ? { ...outcome, notice: 'the server advertised LOGINDISABLED: it refuses LOGIN on this connection' }
        : outcome;
    },
  },
  {
    id: 'imap.authenticate',
    protocol: 'imap',
    verb: 'AUTHENTICATE',
    title: 'Authenticate...',
    summary: 'Log in with a SASL mechanism (PLAIN, SCRAM-SHA-256, XOAUTH2, ...)',
    states: NOT_AUTHENTICATED,
    args: [mechanismArg, userArg, secretArg('Password or token')],
    run: (ctx) => authenticateWith(ctx, (mech) => send(ctx, (c) => c.authenticate(mech))),
  },
  {
    id: 'imap.id',
    protocol: 'imap',
    verb: 'ID',
    title: 'ID...',
    summary: 'Tell the server who the client is and ask who it is (RFC 2971)',
    states: ANY,
    capability: 'ID',
    args: [
      {
        name: 'fields',
        prompt: 'Client fields as name=value pairs separated by spaces; empty sends NIL',
        kind: 'text',
        optional: true,
        defaultValue: () => 'name=Mailwire',
        validate: (v) =>
          oneLine(v) ??
          (v.trim() === '' || /^(\S+=\S+)(\s+\S+=\S+)*$/.test(v.trim()) ? undefined : 'name=value pairs'),
      },
    ],
    run: (ctx) => {
      const text = (ctx.args.fields ?? '').trim();
      const params: ImapArg =
        text === ''
          ? { atom: 'NIL' }
          : text.split(/\s+/).flatMap((pair) => {
              const at = pair.indexOf('=');
              return [{ quoted: pair.slice(0, at) }, { quoted: pair.slice(at + 1) }];
            });
      return send(ctx, (c) => c.command('ID', [params]));
    },
  },
  {
    id: 'imap.enable',
    protocol: 'imap',
    verb: 'ENABLE',
    title: 'Enable...',
    summary: 'Turn on extensions that change how the server answers (RFC 5161)',
    states: ['authenticated'],
    capability: 'ENABLE',
    args: [
      {
        name: 'capabilities',
        prompt: 'Capabilities to enable',
        kind: 'choice',
        freeText: true,
        choices: () => ['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT', 'IMAP4rev2'],
        defaultValue: () => 'CONDSTORE',
        validate: nonEmptyOneLine,
      },
    ],
    run: (ctx) =>
      send(ctx, (c) =>
        c.command(
          'ENABLE',
          (ctx.args.capabilities ?? '')
            .trim()
            .split(/\s+/)
            .map((atom) => ({ atom })),
        ),
      ),
  },
  simple(
    'namespace',
    'NAMESPACE',
    AUTHENTICATED,
    "Ask for the personal, other users' and shared folder prefixes",
    'NAMESPACE',
  ),
  {
    id: 'imap.list',
    protocol: 'imap',
    verb: 'LIST',
    title: 'List...',
    summary: 'List mailboxes matching a pattern (* matches all levels, % one level)',
    states: AUTHENTICATED,
    args: [
      {
        name: 'reference',
        prompt: 'Reference (usually empty)',
        kind: 'text',
        optional: true,
        validate: oneLine,
      },
      {
        name: 'pattern',
        prompt: 'Pattern',
        kind: 'text',
        defaultValue: () => '*',
        validate: nonEmptyOneLine,
      },
    ],
    run: (ctx) => send(ctx, (c) => c.command('LIST', [ctx.args.reference ?? '', ctx.args.pattern ?? '*'])),
  },
  {
    id: 'imap.lsub',
    protocol: 'imap',
    verb: 'LSUB',
    title: 'Lsub...',
    summary: 'List subscribed mailboxes (IMAP4rev1; IMAP4rev2 uses LIST (SUBSCRIBED))',
    states: AUTHENTICATED,
    args: [
      {
        name: 'reference',
        prompt: 'Reference (usually empty)',
        kind: 'text',
        optional: true,
        validate: oneLine,
      },
      {
        name: 'pattern',
        prompt: 'Pattern',
        kind: 'text',
        defaultValue: () => '*',
        validate: nonEmptyOneLine,
      },
    ],
    run: (ctx) => send(ctx, (c) => c.command('LSUB', [ctx.args.reference ?? '', ctx.args.pattern ?? '*'])),
  },
  {
    id: 'imap.status',
    protocol: 'imap',
    verb: 'STATUS',
    title: 'Status...',
    summary: "Ask for a mailbox's counters without selecting it",
    states: AUTHENTICATED,
    args: [
      mailboxArg('mailbox', 'Mailbox', 'INBOX'),
      {
        name: 'items',
        prompt: 'Status items',
        kind: 'text',
        defaultValue: () => '(MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)',
        validate: balanced,
      },
    ],
    run: (ctx) =>
      send(ctx, (c) =>
        c.command('STATUS', [
          wireMailbox(c, ctx.args.mailbox ?? ''),
          { verbatim: (ctx.args.items ?? '').trim() },
        ]),
      ),
  },
  {
    id: 'imap.select',
    protocol: 'imap',
    verb: 'SELECT',
    title: 'Select...',
    summary: 'Open a mailbox read-write; the server reports its counters and flags',
    states: AUTHENTICATED,
    args: [mailboxArg('mailbox', 'Mailbox', 'INBOX')],
    run: (ctx) => send(ctx, (c) => c.select(ctx.args.mailbox ?? 'INBOX')),
  },
  {
    id: 'imap.examine',
    protocol: 'imap',
    verb: 'EXAMINE',
    title: 'Examine...',
    summary: 'Open a mailbox read-only (flags do not change, \\Recent is kept)',
    states: AUTHENTICATED,
    args: [mailboxArg('mailbox', 'Mailbox', 'INBOX')],
    run: (ctx) => send(ctx, (c) => c.select(ctx.args.mailbox ?? 'INBOX', true)),
  },
  {
    id: 'imap.create',
    protocol: 'imap',
    verb: 'CREATE',
    title: 'Create...',
    summary: 'Create a mailbox',
    states: AUTHENTICATED,
    args: [newMailboxArg('mailbox', 'New mailbox name')],
    run: (ctx) => send(ctx, (c) => c.command('CREATE', [wireMailbox(c, ctx.args.mailbox ?? '')])),
  },
  {
    id: 'imap.delete',
    protocol: 'imap',
    verb: 'DELETE',
    title: 'Delete...',
    summary: 'Delete a mailbox and every message in it',
    states: AUTHENTICATED,
    args: [mailboxArg('mailbox', 'Mailbox to delete')],
    run: (ctx) => send(ctx, (c) => c.command('DELETE', [wireMailbox(c, ctx.args.mailbox ?? '')])),
  },
  {
    id: 'imap.rename',
    protocol: 'imap',
    verb: 'RENAME',
    title: 'Rename...',
    summary: 'Rename a mailbox (renaming INBOX moves its messages to the new mailbox)',
    states: AUTHENTICATED,
    args: [mailboxArg('mailbox', 'Mailbox to rename'), newMailboxArg('newName', 'New name')],
    run: (ctx) =>
      send(ctx, (c) =>
        c.command('RENAME', [wireMailbox(c, ctx.args.mailbox ?? ''), wireMailbox(c, ctx.args.newName ?? '')]),
      ),
  },
  {
    id: 'imap.subscribe',
    protocol: 'imap',
    verb: 'SUBSCRIBE',
    title: 'Subscribe...',
    summary: 'Add a mailbox to the subscribed list',
    states: AUTHENTICATED,
    args: [mailboxArg()],
    run: (ctx) => send(ctx, (c) => c.command('SUBSCRIBE', [wireMailbox(c, ctx.args.mailbox ?? '')])),
  },
  {
    id: 'imap.unsubscribe',
    protocol: 'imap',
    verb: 'UNSUBSCRIBE',
    title: 'Unsubscribe...',
    summary: 'Remove a mailbox from the subscribed list',
    states: AUTHENTICATED,
    args: [mailboxArg()],
    run: (ctx) => send(ctx, (c) => c.command('UNSUBSCRIBE', [wireMailbox(c, ctx.args.mailbox ?? '')])),
  },
  {
    id: 'imap.append',
    protocol: 'imap',
    verb: 'APPEND',
    title: 'Append File...',
    summary: 'Upload a message file (.eml) into a mailbox',
    states: AUTHENTICATED,
    args: [
      mailboxArg('mailbox', 'Mailbox', 'INBOX'),
      { ...flagListArg(), optional: true, defaultValue: () => '', validate: imapFlagList },
      { name: 'file', prompt: 'Message file', kind: 'file' },
    ],
    run: (ctx) => {
      const bytes = ctx.files.file;
      const flags = (ctx.args.flags ?? '').trim();
      return send(ctx, (c) =>
        c.command('APPEND', [
          wireMailbox(c, ctx.args.mailbox ?? 'INBOX'),
          ...(flags ? [flagList(flags)] : []),
          { literal: bytes ?? new Uint8Array(0) },
        ]),
      );
    },
  },
  {
    id: 'imap.idle',
    protocol: 'imap',
    verb: 'IDLE',
    title: 'Idle',
    summary: 'Wait for the server to push changes (new mail, flags, expunges) until Done',
    states: AUTHENTICATED,
    capability: 'IDLE',
    args: [],
    run: (ctx) => startIdle(ctx),
  },
  {
    id: 'imap.done',
    protocol: 'imap',
    verb: 'DONE',
    title: 'Done',
    summary: 'End IDLE; the server then completes the IDLE command',
    states: ['idle'],
    args: [],
    run: async (ctx) => ({
      result: await ctx.session.run((c) => {
        const codec = c as unknown as ImapClientCodec;
        const idle = codec.pending.find((p) => p.verb === 'IDLE');
        codec.done();
        // Waiting on the IDLE command itself: its tagged OK arrives after DONE.
        return idle;
      }),
    }),
  },
  {
    id: 'imap.fetch',
    protocol: 'imap',
    verb: 'FETCH',
    title: 'Fetch...',
    summary: 'Fetch message data: flags, envelope, size, body sections',
    states: SELECTED,
    args: [
      setArg(lastN(20)),
      {
        name: 'items',
        prompt: 'Items',
        kind: 'choice',
        freeText: true,
        choices: () => [
          HEADER_ITEMS,
          '(FLAGS)',
          '(BODYSTRUCTURE)',
          'BODY.PEEK[HEADER]',
          'BODY.PEEK[]',
          'BODY[]',
          '(UID FLAGS BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE)])',
        ],
        defaultValue: () => HEADER_ITEMS,
        validate: balanced,
      },
      uidArg,
    ],
    run: async (ctx) => {
      const outcome = await send(ctx, (c) =>
        c.command(uidVerb(ctx, 'FETCH'), [set(ctx), { verbatim: (ctx.args.items ?? '').trim() }]),
      );
      const bytes = /\b(BODY(\.PEEK)?\[\]|RFC822\b(?![.]))/i.test(ctx.args.items ?? '')
        ? messageFrom(ctx.session, outcome.result)
        : undefined;
      return bytes
        ? {
            ...outcome,
            message: { name: `message-${(ctx.args.set ?? '').replace(/[^\w-]+/g, '_')}.eml`, bytes },
          }
        : outcome;
    },
  },
  {
    id: 'imap.openMessage',
    protocol: 'imap',
    verb: 'FETCH',
    title: 'Open Message...',
    summary: 'Fetch one whole message with BODY.PEEK[] (does not set \\Seen) and open it as .eml',
    states: SELECTED,
    args: [
      {
        ...setArg((count) => String(count ?? 1)),
        prompt: 'Message (a sequence number, or a UID when UID is chosen)',
        validate: (v) => (/^[1-9]\d*$/.test(v.trim()) ? undefined : 'one message number'),
      },
      uidArg,
    ],
    run: async (ctx) => {
      const outcome = await send(ctx, (c) =>
        c.command(uidVerb(ctx, 'FETCH'), [set(ctx), { verbatim: 'BODY.PEEK[]' }]),
      );
      const bytes = messageFrom(ctx.session, outcome.result);
      if (!bytes) {
        return outcome.result.outcome === 'ok'
          ? { ...outcome, notice: `the server sent no BODY[] for message ${ctx.args.set ?? ''}` }
          : outcome;
      }
      const which = `${isYes(ctx.args.uid) ? 'uid' : 'message'}-${(ctx.args.set ?? '').trim()}`;
      return { ...outcome, message: { name: `${which}.eml`, bytes } };
    },
  },
  {
    id: 'imap.search',
    protocol: 'imap',
    verb: 'SEARCH',
    title: 'Search...',
    summary: 'Find messages by criteria (ALL, UNSEEN, FROM "x", SINCE 1-Jan-2026, ...)',
    states: SELECTED,
    args: [
      {
        name: 'criteria',
        prompt: 'Search criteria',
        kind: 'choice',
        freeText: true,
        choices: () => [
          'ALL',
          'UNSEEN',
          'FLAGGED',
          'DELETED',
          'NEW',
          'SINCE 1-Jan-2026',
          'FROM "alice"',
          'SUBJECT "hello"',
        ],
        defaultValue: () => 'ALL',
        validate: balanced,
      },
      uidArg,
    ],
    run: (ctx) =>
      send(ctx, (c) =>
        c.command(uidVerb(ctx, 'SEARCH'), [{ verbatim: (ctx.args.criteria ?? 'ALL').trim() }]),
      ),
  },
  {
    id: 'imap.storeFlags',
    protocol: 'imap',
    verb: 'STORE',
    title: 'Store Flags...',
    summary: 'Add, remove or replace flags on messages',
    states: SELECTED,
    args: [
      setArg(lastN(1)),
      {
        name: 'operation',
        prompt: 'Operation',
        kind: 'choice',
        choices: () => ['+FLAGS', '-FLAGS', 'FLAGS', '+FLAGS.SILENT', '-FLAGS.SILENT', 'FLAGS.SILENT'],
        defaultValue: () => '+FLAGS',
        validate: (v) =>
          /^[+-]?FLAGS(\.SILENT)?$/i.test(v.trim())
            ? undefined
            : '+FLAGS, -FLAGS or FLAGS (optionally .SILENT)',
      },
      flagListArg(),
      uidArg,
    ],
    run: (ctx) =>
      send(ctx, (c) =>
        c.command(uidVerb(ctx, 'STORE'), [
          set(ctx),
          { atom: (ctx.args.operation ?? '+FLAGS').trim().toUpperCase() },
          flagList(ctx.args.flags ?? ''),
        ]),
      ),
  },
  {
    id: 'imap.copy',
    protocol: 'imap',
    verb: 'COPY',
    title: 'Copy...',
    summary: 'Copy messages to another mailbox',
    states: SELECTED,
    args: [setArg(lastN(1)), mailboxArg('mailbox', 'Destination mailbox'), uidArg],
    run: (ctx) =>
      send(ctx, (c) => c.command(uidVerb(ctx, 'COPY'), [set(ctx), wireMailbox(c, ctx.args.mailbox ?? '')])),
  },
  {
    id: 'imap.move',
    protocol: 'imap',
    verb: 'MOVE',
    title: 'Move...',
    summary: 'Move messages to another mailbox (RFC 6851): copy, then expunge here',
    states: SELECTED,
    capability: 'MOVE',
    args: [setArg(lastN(1)), mailboxArg('mailbox', 'Destination mailbox'), uidArg],
    run: (ctx) =>
      send(ctx, (c) => c.command(uidVerb(ctx, 'MOVE'), [set(ctx), wireMailbox(c, ctx.args.mailbox ?? '')])),
  },
  simple(
    'expunge',
    'EXPUNGE',
    SELECTED,
    'Remove every message marked \\Deleted; the server reports each as EXPUNGE',
  ),
  simple('close', 'CLOSE', SELECTED, 'Leave the mailbox, silently expunging messages marked \\Deleted'),
  simple('unselect', 'UNSELECT', SELECTED, 'Leave the mailbox without expunging (RFC 3691)', 'UNSELECT'),
  simple('logout', 'LOGOUT', ANY, 'End the session; the server says BYE and closes the connection'),
];

/**
 * IDLE stays pending until DONE, so the verb resolves when the server accepts it (its `+`), or
 * with the completion if it refused.
 */
async function startIdle(ctx: VerbContext): Promise<VerbOutcome> {
  const codec = imap(ctx);
  let off: () => void = () => undefined;
  const accepted = new Promise<void>((resolve) => {
    off = ctx.session.events.on('protocol', (event) => {
      const e = event as { type: string; command?: { verb?: string } };
      if (e.type === 'continuation' && e.command?.verb === 'IDLE') resolve();
    });
  });
  const done = runTyped(ctx.session, codec, (c) => c.idle());
  const refused = await Promise.race([done, accepted.then(() => undefined)]);
  off();
  if (refused) return { result: refused };
  return {
    result: {
      command: codec?.pending.find((p) => p.verb === 'IDLE'),
      outcome: 'ok',
      text: 'idling',
      events: [],
      latencyMs: undefined,
    },
    notice:
      'IDLE accepted: changes appear in the transcript as the server sends them; run IMAP: Done to stop',
  };
}
