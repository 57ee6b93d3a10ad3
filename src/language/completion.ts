// Completion for one protocol line ("Send Line..." and `C:` lines of scripts) and for script files
// (`@` settings, `{{variables}}`, `S:` expectations). Verbs are those valid in the current state
// and, when the server's capabilities are known, those it advertised. Plain module (no vscode).
import {
  lookupCapability,
  lookupSaslMechanism,
  SASL_MECHANISMS,
  IMAP_FLAGS,
  verbsValidIn,
  type KnowledgeProtocol,
  type VerbEntry,
} from '../knowledge/index.js';
import { protocolFromFileName } from '../script/parser.js';
import { verbMarkdown } from './explain.js';
import { clientVerb, scriptProtocolAt, splitLine } from './line.js';
import { scriptStateAt } from './script-state.js';

export interface CompletionHints {
  /** Mailbox names seen in LIST/LSUB. */
  readonly mailboxes: readonly string[];
  /** PERMANENTFLAGS (or FLAGS) of the selected mailbox. */
  readonly flags: readonly string[];
  /** SASL mechanisms the server advertised. */
  readonly saslMechanisms: readonly string[];
  /** Capabilities / CAPA tags / EHLO keywords the server advertised; empty when unknown. */
  readonly capabilities: readonly string[];
  /** POP3 message numbers (RETR, DELE, TOP, LIST, UIDL). */
  readonly messageNumbers?: readonly number[];
  /** IMAP tag to put in front of a verb typed without one. Default `a1`. */
  readonly tag?: string;
}

export const NO_COMPLETION_HINTS: CompletionHints = {
  mailboxes: [],
  flags: [],
  saslMechanisms: [],
  capabilities: [],
};

export type CompletionKind =
  | 'verb'
  | 'argument'
  | 'mailbox'
  | 'flag'
  | 'mechanism'
  | 'number'
  | 'directive'
  | 'variable'
  | 'keyword'
  | 'expectation';

export interface Completion {
  readonly label: string;
  /** Replaces the text from `replaceStart` to the cursor. */
  readonly insertText: string;
  readonly replaceStart: number;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
}

function advertised(protocol: KnowledgeProtocol, entry: VerbEntry, capabilities: readonly string[]): boolean {
  if (!entry.capability || capabilities.length === 0) return true;
  const wanted = entry.capability.toUpperCase();
  const have = capabilities.map((c) => c.toUpperCase().split(/[ =]/)[0]);
  // IMAP4rev2 includes IDLE, MOVE, UNSELECT, NAMESPACE, ENABLE, UIDPLUS in the base protocol.
  if (
    protocol === 'imap' &&
    have.includes('IMAP4REV2') &&
    ['IDLE', 'MOVE', 'UNSELECT', 'NAMESPACE', 'ENABLE', 'UIDPLUS'].includes(wanted)
  )
    return true;
  // POP3 servers often leave USER out of CAPA while accepting it; only hide it when SASL is all they offer.
  if (protocol === 'pop3' && wanted === 'USER' && !have.includes('SASL')) return true;
  return have.includes(wanted);
}

function startsWithCi(text: string, prefix: string): boolean {
  return text.toUpperCase().startsWith(prefix.toUpperCase());
}

function quoteMailbox(name: string): string {
  return /^[A-Za-z0-9_./&-]+$/.test(name) ? name : `"${name.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

const FETCH_ITEMS = [
  'FLAGS',
  'UID',
  'ENVELOPE',
  'BODYSTRUCTURE',
  'RFC822.SIZE',
  'INTERNALDATE',
  'BODY[]',
  'BODY.PEEK[]',
  'BODY.PEEK[HEADER]',
  'BODY.PEEK[TEXT]',
  'ALL',
  'FAST',
  'FULL',
];
const SEARCH_KEYS = [
  'ALL',
  'UNSEEN',
  'SEEN',
  'FLAGGED',
  'UNFLAGGED',
  'ANSWERED',
  'DELETED',
  'DRAFT',
  'NEW',
  'FROM',
  'TO',
  'CC',
  'SUBJECT',
  'BODY',
  'TEXT',
  'SINCE',
  'BEFORE',
  'ON',
  'LARGER',
  'SMALLER',
  'UID',
  'KEYWORD',
  'NOT',
  'OR',
  'HEADER',
];
const STORE_MODES = ['+FLAGS', '-FLAGS', 'FLAGS', '+FLAGS.SILENT', '-FLAGS.SILENT', 'FLAGS.SILENT'];
const STATUS_ITEMS = '(MESSAGES UIDNEXT UIDVALIDITY UNSEEN)';
const MAILBOX_ARG: Readonly<Record<string, number>> = {
  SELECT: 0,
  EXAMINE: 0,
  STATUS: 0,
  DELETE: 0,
  RENAME: 0,
  SUBSCRIBE: 0,
  UNSUBSCRIBE: 0,
  APPEND: 0,
  CREATE: -1,
  COPY: 1,
  MOVE: 1,
  'UID COPY': 1,
  'UID MOVE': 1,
};
const POP3_NUMBER_VERBS = new Set(['RETR', 'DELE', 'TOP', 'LIST', 'UIDL']);

function verbItems(
  protocol: KnowledgeProtocol,
  state: string | undefined,
  hints: CompletionHints,
  typed: string,
  replaceStart: number,
  prefix: string,
): Completion[] {
  return verbsValidIn(protocol, state)
    .filter((v) => advertised(protocol, v, hints.capabilities))
    .filter((v) => startsWithCi(v.verb, typed))
    .map((v) => ({
      label: v.verb,
      insertText: `${prefix}${v.verb}${v.syntax.trim() === v.verb ? '' : ' '}`,
      replaceStart,
      kind: 'verb' as const,
      detail: v.summary,
      documentation: verbMarkdown(v),
    }));
}

function words(
  list: readonly string[],
  kind: CompletionKind,
  typed: string,
  replaceStart: number,
  detail?: string,
): Completion[] {
  return list
    .filter((w) => startsWithCi(w, typed))
    .map((w) => ({ label: w, insertText: w, replaceStart, kind, ...(detail ? { detail } : {}) }));
}

function mechanisms(hints: CompletionHints, typed: string, replaceStart: number): Completion[] {
  const names = hints.saslMechanisms.length ? hints.saslMechanisms : SASL_MECHANISMS.map((m) => m.name);
  return names
    .filter((n) => startsWithCi(n, typed))
    .map((n) => {
      const entry = lookupSaslMechanism(n);
      return {
        label: n.toUpperCase(),
        insertText: n.toUpperCase(),
        replaceStart,
        kind: 'mechanism' as const,
        ...(entry ? { detail: entry.summary } : {}),
      };
    });
}

function imapArgs(
  verb: string,
  args: string[],
  typed: string,
  start: number,
  hints: CompletionHints,
): Completion[] {
  const index = args.length; // the argument being typed (0-based)
  const mailboxAt = MAILBOX_ARG[verb];
  if (mailboxAt !== undefined && mailboxAt === index) {
    const names = hints.mailboxes.length ? hints.mailboxes : ['INBOX'];
    const bare = typed.replace(/^"/, '');
    return names
      .filter((n) => startsWithCi(n, bare))
      .map((n) => ({
        label: n,
        insertText: quoteMailbox(n),
        replaceStart: start,
        kind: 'mailbox' as const,
        detail: 'mailbox (from LIST)',
      }));
  }
  if (verb === 'AUTHENTICATE' && index === 0) return mechanisms(hints, typed, start);
  if (verb === 'ENABLE')
    return words(['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT'], 'argument', typed, start, 'extension to enable');
  if (verb === 'LIST' && index === 0)
    return words(['"" "*"', '"" "%"', '"" ""'], 'argument', typed, start, 'reference and pattern');
  if (verb === 'STATUS' && index === 1)
    return words([STATUS_ITEMS], 'argument', typed, start, 'status items');
  if ((verb === 'FETCH' || verb === 'UID FETCH') && index >= 1) {
    const bare = typed.replace(/^\(/, '');
    const offset = typed.length - bare.length;
    return words(FETCH_ITEMS, 'argument', bare, start + offset, 'fetch item');
  }
  if ((verb === 'SEARCH' || verb === 'UID SEARCH') && index >= 0)
    return words(SEARCH_KEYS, 'argument', typed, start, 'search key');
  if ((verb === 'STORE' || verb === 'UID STORE') && index === 1)
    return words(STORE_MODES, 'argument', typed, start, 'how to change the flags');
  if (
    (verb === 'STORE' || verb === 'UID STORE' || verb === 'APPEND') &&
    (index >= 2 || (verb === 'APPEND' && index === 1))
  )
    return flagItems(hints, typed, start);
  return [];
}

function flagItems(hints: CompletionHints, typed: string, start: number): Completion[] {
  const bare = typed.replace(/^\(/, '');
  const offset = typed.length - bare.length;
  const flags = (hints.flags.length ? hints.flags : IMAP_FLAGS.map((f) => f.name)).filter(
    (f) => f !== '\\*' && f !== '\\Recent',
  );
  return flags
    .filter((f) => startsWithCi(f, bare))
    .map((f) => ({
      label: f,
      insertText: f,
      replaceStart: start + offset,
      kind: 'flag' as const,
      detail: 'message flag',
    }));
}

/**
 * Completions for a protocol line typed so far (the cursor is at its end). `state` is the codec's
 * state name (`selected`, `transaction`, `rcpt` ...); undefined offers every verb.
 */
export function completeLine(
  protocol: KnowledgeProtocol,
  state: string | undefined,
  textSoFar: string,
  hints: CompletionHints = NO_COMPLETION_HINTS,
): Completion[] {
  const lastSpace = textSoFar.lastIndexOf(' ');
  const typed = textSoFar.slice(lastSpace + 1);
  const start = lastSpace + 1;
  if (protocol === 'imap') {
    const m = /^(\S+) +(UID +)?/.exec(textSoFar);
    if (!m) {
      // Typing the first word: a tag, or a verb (we put a tag in front), or DONE during IDLE.
      const items = verbItems(protocol, state, hints, typed, 0, `${hints.tag ?? 'a1'} `);
      return items.map((i) => (i.label === 'DONE' ? { ...i, insertText: 'DONE' } : i));
    }
    const rest = textSoFar.slice(m[0].length);
    if (!/\s/.test(rest)) {
      if (m[2]) {
        const uid = verbsValidIn('imap', state)
          .filter((v) => v.verb.startsWith('UID ') && startsWithCi(v.verb.slice(4), rest))
          .filter((v) => advertised('imap', v, hints.capabilities));
        return uid.map((v) => ({
          label: v.verb,
          insertText: `${v.verb.slice(4)} `,
          replaceStart: start,
          kind: 'verb',
          detail: v.summary,
          documentation: verbMarkdown(v),
        }));
      }
      return verbItems(protocol, state, hints, rest, m[0].length, '').filter((i) => i.label !== 'DONE');
    }
    const verb = clientVerb('imap', textSoFar)?.verb ?? '';
    const argText = textSoFar.slice(clientVerb('imap', textSoFar)?.argsStart ?? textSoFar.length).trimStart();
    const args = argText.split(/\s+/).slice(0, -1);
    return imapArgs(verb, args, typed, start, hints);
  }
  if (lastSpace < 0) return verbItems(protocol, state, hints, typed, 0, '');
  const verb = (/^([A-Za-z]+)/.exec(textSoFar)?.[1] ?? '').toUpperCase();
  const argIndex = textSoFar.slice(verb.length).trim().split(/\s+/).filter(Boolean).length - (typed ? 1 : 0);
  if (verb === 'AUTH' && argIndex === 0) return mechanisms(hints, typed, start);
  if (protocol === 'pop3' && POP3_NUMBER_VERBS.has(verb) && argIndex === 0)
    return words((hints.messageNumbers ?? []).map(String), 'number', typed, start, 'message number');
  if (protocol === 'smtp') {
    if (verb === 'MAIL' && argIndex === 0)
      return words(['FROM:<>'], 'argument', typed, start, 'sender address');
    if (verb === 'RCPT' && argIndex === 0)
      return words(['TO:<>'], 'argument', typed, start, 'recipient address');
    if (verb === 'MAIL' && argIndex >= 1) {
      const params = ['SIZE=', 'BODY=8BITMIME', 'SMTPUTF8', 'RET=HDRS', 'ENVID='].filter((p) => {
        const key = p.startsWith('BODY')
          ? '8BITMIME'
          : p.startsWith('RET') || p.startsWith('ENVID')
            ? 'DSN'
            : p.replace('=', '');
        return (
          hints.capabilities.length === 0 ||
          hints.capabilities.some((c) => c.toUpperCase().split(' ')[0] === key)
        );
      });
      return words(params, 'argument', typed, start, 'ESMTP parameter').map((c) => {
        const key = c.label.replace(/=.*$/, '');
        const entry = lookupCapability('smtp', key);
        return entry ? { ...c, documentation: entry.summary } : c;
      });
    }
  }
  return [];
}

const DIRECTIVES: ReadonlyArray<{ name: string; detail: string; insert: string }> = [
  { name: '@connect', detail: 'open a session (closes the previous one)', insert: '@connect ' },
  { name: '@set', detail: 'set a variable: @set name value', insert: '@set ' },
  { name: '@timeout', detail: 'per reply/connect timeout, e.g. 5s', insert: '@timeout ' },
  { name: '@tls', detail: 'certificate policy: accept-unverified or verify', insert: '@tls ' },
  { name: '@strict', detail: 'strict matching: on or off', insert: '@strict ' },
];

const SANDBOX_URLS: Readonly<Record<KnowledgeProtocol, readonly string[]>> = {
  smtp: ['smtp://127.0.0.1:2525', 'smtps://127.0.0.1:2465'],
  pop3: ['pop3://127.0.0.1:1110', 'pop3s://127.0.0.1:1995'],
  imap: ['imap://127.0.0.1:1143', 'imaps://127.0.0.1:1993'],
};

export interface ScriptDocument {
  readonly lines: readonly string[];
  readonly fileName: string;
}

/** Variables defined above `lineIndex`: `@set` names and regex named groups of `S:` lines. */
export function variablesAbove(lines: readonly string[], lineIndex: number): string[] {
  const names = new Set<string>();
  for (const raw of lines.slice(0, lineIndex)) {
    const set = /^\s*@set\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(raw);
    if (set?.[1]) names.add(set[1]);
    if (/^\s*S:\s*\//.test(raw))
      for (const m of raw.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)) if (m[1]) names.add(m[1]);
  }
  return [...names];
}

/** Completions at a 0-based line and column of a script. `replaceStart` is a column of that line. */
export function completeScript(
  doc: ScriptDocument,
  lineIndex: number,
  column: number,
  hints: CompletionHints = NO_COMPLETION_HINTS,
): Completion[] {
  const line = doc.lines[lineIndex] ?? '';
  const before = line.slice(0, column);
  const protocol = scriptProtocolAt(doc.lines, lineIndex, protocolFromFileName(doc.fileName));

  // Inside an unclosed `{{`: variables, $env, $secret.
  const open = before.lastIndexOf('{{');
  if (open >= 0 && before.indexOf('}}', open) < 0) {
    const typed = before.slice(open + 2);
    const start = open + 2;
    const vars = variablesAbove(doc.lines, lineIndex).map((v) => ({
      label: v,
      insertText: `${v}}}`,
      replaceStart: start,
      kind: 'variable' as const,
      detail: 'variable (@set or a regex group)',
    }));
    const special = [
      {
        label: '$secret',
        insertText: '$secret ',
        replaceStart: start,
        kind: 'variable' as const,
        detail: 'a value from the secret storage (never shown)',
      },
      {
        label: '$env',
        insertText: '$env ',
        replaceStart: start,
        kind: 'variable' as const,
        detail: 'an environment variable (treated as secret)',
      },
    ];
    return [...vars, ...special].filter((c) => startsWithCi(c.label, typed.trim()));
  }

  const indent = before.length - before.trimStart().length;
  const trimmed = before.trimStart();
  if (/^@\S*$/.test(trimmed) || trimmed === '') {
    const directives = DIRECTIVES.filter((d) => d.name.startsWith(trimmed || '@')).map((d) => ({
      label: d.name,
      insertText: d.insert,
      replaceStart: indent,
      kind: 'directive' as const,
      detail: d.detail,
    }));
    if (trimmed !== '') return directives;
    const starts = [
      {
        label: 'C:',
        insertText: 'C: ',
        replaceStart: indent,
        kind: 'keyword' as const,
        detail: 'a line the client sends',
      },
      {
        label: 'S:',
        insertText: 'S: ',
        replaceStart: indent,
        kind: 'keyword' as const,
        detail: 'an expectation about the reply',
      },
      {
        label: '<<<',
        insertText: '<<<',
        replaceStart: indent,
        kind: 'keyword' as const,
        detail: 'message body or IMAP literal, up to >>>',
      },
    ];
    return [...starts, ...directives];
  }
  const directive = /^@(\w+)\s+(\S*)$/.exec(trimmed);
  if (directive) {
    const start = column - (directive[2]?.length ?? 0);
    const typed = directive[2] ?? '';
    switch (directive[1]) {
      case 'tls':
        return words(['accept-unverified', 'verify'], 'argument', typed, start);
      case 'strict':
        return words(['on', 'off'], 'argument', typed, start);
      case 'timeout':
        return words(['5s', '30s', '500ms', '2m'], 'argument', typed, start);
      case 'connect': {
        const urls = protocol ? SANDBOX_URLS[protocol] : Object.values(SANDBOX_URLS).flat();
        return words(urls, 'argument', typed, start, 'the sandbox');
      }
      default:
        return [];
    }
  }
  const split = splitLine(trimmed);
  if (!split || !protocol) return [];
  const bodyStart = indent + split.bodyStart;
  const body = before.slice(bodyStart);
  if (split.dir === 'C') {
    const state = scriptStateAt(doc.lines, lineIndex, protocol);
    return completeLine(protocol, state, body, hints).map((c) => ({
      ...c,
      replaceStart: c.replaceStart + bodyStart,
    }));
  }
  if (split.dir === 'S') return expectationItems(doc.lines, lineIndex, protocol, body, bodyStart);
  return [];
}

function expectationItems(
  lines: readonly string[],
  lineIndex: number,
  protocol: KnowledgeProtocol,
  typed: string,
  start: number,
): Completion[] {
  let tag: string | undefined;
  for (let i = lineIndex - 1; i >= 0; i--) {
    const split = splitLine((lines[i] ?? '').trimStart());
    if (split?.dir === 'C') {
      tag = protocol === 'imap' ? /^([A-Za-z0-9.]+)\s/.exec(split.body)?.[1] : undefined;
      break;
    }
    if (/^\s*@connect\b/.test(lines[i] ?? '')) break;
  }
  const options: Record<KnowledgeProtocol, string[]> = {
    imap: [...(tag ? [`${tag} OK`, `${tag} NO`, `${tag} BAD`] : []), '* OK', '+', '* BYE'],
    pop3: ['+OK', '-ERR', '+'],
    smtp: ['220', '221', '235', '250', '334', '354', '421', '450', '550', '554'],
  };
  return words(options[protocol], 'expectation', typed, start, 'the reply starts with this');
}
