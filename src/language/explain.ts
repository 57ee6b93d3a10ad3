// What each part of one protocol line means: the verb, tag, reply code, enhanced status code,
// response code, capability, SASL mechanism or flag, each with its range in the line and a
// Markdown explanation linking to the RFC section. Hovers pick the element under the cursor;
// "Explain Line" shows them all. Plain module (no vscode).
import {
  lookupCapability,
  lookupEnhancedStatus,
  lookupImapFlag,
  lookupImapResponse,
  lookupImapResponseCode,
  lookupMailboxAttribute,
  lookupPop3ResponseCode,
  lookupPop3Status,
  lookupSaslMechanism,
  lookupSmtpReply,
  lookupVerb,
  refText,
  smtpReplyClass,
  type EnhancedStatus,
  type KnowledgeProtocol,
  type SpecRef,
  type TermEntry,
  type VerbEntry,
} from '../knowledge/index.js';
import { rfc } from '../knowledge/refs.js';
import { clientVerb, wordsOf, type LineDirection, type Word } from './line.js';

export type ElementKind =
  | 'verb'
  | 'tag'
  | 'reply-code'
  | 'enhanced-status'
  | 'status'
  | 'response-code'
  | 'response'
  | 'capability'
  | 'mechanism'
  | 'flag'
  | 'attribute'
  | 'continuation';

export interface LineElement {
  readonly kind: ElementKind;
  /** 0-based range in the protocol text (end exclusive). */
  readonly start: number;
  readonly end: number;
  /** The text as written. */
  readonly text: string;
  /** One line: `SELECT: opens a mailbox read-write ...`. */
  readonly title: string;
  readonly markdown: string;
  readonly ref: SpecRef | undefined;
}

export interface LineContext {
  /** The verb of the client line this reply answers (CAPA and EHLO replies list capabilities). */
  readonly previousVerb?: string | undefined;
}

const PROTOCOL_NAME: Readonly<Record<KnowledgeProtocol, string>> = {
  imap: 'IMAP',
  pop3: 'POP3',
  smtp: 'SMTP',
};

function link(ref: SpecRef): string {
  return `[${refText(ref)}](${ref.url})`;
}

/** Server and script text inside Markdown: no links, emphasis or HTML can come from it. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~-]/g, (c) => `\\${c}`);
}

/** A fenced block that the text cannot close early (the fence is longer than any backtick run). */
export function fenced(text: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

function codeSpan(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text}${fence}`;
}

export function verbMarkdown(entry: VerbEntry): string {
  const parts = [
    `**${entry.verb}** (${PROTOCOL_NAME[entry.protocol]} command): ${entry.summary}`,
    codeSpan(entry.syntax),
    entry.details,
    `Valid in: ${entry.states.join(', ')}${entry.capability ? `; needs ${codeSpan(entry.capability)}` : ''}`,
    '```\n' + entry.example + '\n```',
    link(entry.ref),
  ];
  return parts.join('\n\n');
}

function termMarkdown(label: string, entry: TermEntry, shown = entry.name): string {
  const parts = [`**${escapeMarkdown(shown)}** (${label}): ${entry.summary}`, entry.details];
  if (entry.example) parts.push('```\n' + entry.example + '\n```');
  parts.push(link(entry.ref));
  return parts.join('\n\n');
}

function enhancedMarkdown(status: EnhancedStatus): string {
  const detail = status.detail;
  return [
    `**${status.code}** (enhanced status code): ${detail ? detail.summary : `${status.subject.summary} (no registered detail)`}`,
    `Class ${status.code[0]}: ${status.class.summary}. Subject ${status.subject.name}: ${status.subject.summary}.`,
    detail?.details ?? status.subject.details,
    link(detail?.ref ?? status.subject.ref),
  ].join('\n\n');
}

interface Builder {
  readonly out: LineElement[];
  add(kind: ElementKind, word: Word, title: string, markdown: string, ref: SpecRef | undefined): void;
  term(kind: ElementKind, label: string, word: Word, entry: TermEntry | undefined): boolean;
}

function builder(): Builder {
  const out: LineElement[] = [];
  return {
    out,
    add(kind, word, title, markdown, ref) {
      out.push({ kind, start: word.start, end: word.end, text: word.text, title, markdown, ref });
    },
    term(kind, label, word, entry) {
      if (!entry) return false;
      this.add(
        kind,
        word,
        `${word.text}: ${entry.summary}`,
        termMarkdown(label, entry, word.text),
        entry.ref,
      );
      return true;
    },
  };
}

function addVerb(b: Builder, protocol: KnowledgeProtocol, word: Word, verb: string): VerbEntry | undefined {
  const entry = lookupVerb(protocol, verb);
  if (entry)
    b.add('verb', { ...word, text: verb }, `${entry.verb}: ${entry.summary}`, verbMarkdown(entry), entry.ref);
  return entry;
}

function addFlagLike(b: Builder, word: Word, attributes: boolean): void {
  if (!/^[\\$]/.test(word.text)) return;
  const attr = attributes ? lookupMailboxAttribute(word.text) : undefined;
  if (attr) b.term('attribute', 'mailbox attribute', word, attr);
  else b.term('flag', 'message flag', word, lookupImapFlag(word.text));
}

function addMechanism(b: Builder, word: Word | undefined): void {
  if (word) b.term('mechanism', 'SASL mechanism', word, lookupSaslMechanism(word.text));
}

function smtpCode(b: Builder, word: Word): void {
  const entry = lookupSmtpReply(word.text);
  if (entry) {
    b.term('reply-code', 'SMTP reply code', word, entry);
    return;
  }
  const cls = smtpReplyClass(word.text);
  if (cls)
    b.add(
      'reply-code',
      word,
      `${word.text}: ${cls}`,
      `**${escapeMarkdown(word.text)}** (SMTP reply code): no specific meaning is registered; the first digit says: ${cls}\n\n${link(rfc(5321, '4.2.1'))}`,
      rfc(5321, '4.2.1'),
    );
}

function enhanced(b: Builder, word: Word): boolean {
  const status = lookupEnhancedStatus(word.text);
  if (!status) return false;
  b.add(
    'enhanced-status',
    word,
    `${word.text}: ${status.detail?.summary ?? status.subject.summary}`,
    enhancedMarkdown(status),
    status.detail?.ref ?? status.subject.ref,
  );
  return true;
}

function smtpLine(b: Builder, dir: LineDirection, body: string, ctx: LineContext): void {
  const words = wordsOf(body);
  if (dir === 'C') {
    const v = clientVerb('smtp', body);
    if (!v) return;
    addVerb(b, 'smtp', { text: v.verb, start: v.start, end: v.end }, v.verb);
    const args = words.filter((w) => w.start >= v.argsStart);
    if (v.verb === 'AUTH') addMechanism(b, args[0]);
    if (v.verb === 'MAIL' || v.verb === 'RCPT') {
      // ESMTP parameters: SIZE=, BODY=8BITMIME, SMTPUTF8, RET=/ENVID= (DSN) ...
      for (const w of args) {
        const key = /^([A-Za-z0-9-]+)(=|$)/.exec(w.text)?.[1]?.toUpperCase();
        const value = /=(.*)$/.exec(w.text)?.[1]?.toUpperCase();
        const name =
          key === 'BODY' && value === '8BITMIME'
            ? '8BITMIME'
            : key === 'RET' || key === 'ENVID' || key === 'NOTIFY' || key === 'ORCPT'
              ? 'DSN'
              : key;
        if (name && !/[:<@]/.test(w.text))
          b.term('capability', 'ESMTP parameter', w, lookupCapability('smtp', name));
      }
    }
    return;
  }
  const m = /^(\d{3})([ -]?)/.exec(body);
  if (!m?.[1]) return;
  smtpCode(b, { text: m[1], start: 0, end: 3 });
  // `250-PIPELINING`: the text starts after the code and its separator.
  const rest = wordsOf(body.slice(4)).map((w) => ({ ...w, start: w.start + 4, end: w.end + 4 }));
  const first = rest[0];
  if (!first) return;
  if (enhanced(b, first)) return;
  if (ctx.previousVerb === 'EHLO' && m[1] === '250') {
    const keyword = /^[A-Za-z0-9][A-Za-z0-9-]*/.exec(first.text)?.[0];
    if (
      keyword &&
      b.term(
        'capability',
        'EHLO keyword',
        { ...first, text: keyword, end: first.start + keyword.length },
        lookupCapability('smtp', keyword),
      )
    ) {
      if (keyword.toUpperCase() === 'AUTH') for (const w of rest.slice(1)) addMechanism(b, w);
    }
  }
}

function pop3Line(b: Builder, dir: LineDirection, body: string, ctx: LineContext): void {
  const words = wordsOf(body);
  if (dir === 'C') {
    const v = clientVerb('pop3', body);
    if (!v) return;
    addVerb(b, 'pop3', { text: v.verb, start: v.start, end: v.end }, v.verb);
    if (v.verb === 'AUTH') addMechanism(b, words[1]);
    return;
  }
  const status = /^(\+OK|-ERR|\+)(?=\s|$)/i.exec(body)?.[1];
  if (status) {
    b.term('status', 'POP3 status', { text: status, start: 0, end: status.length }, lookupPop3Status(status));
    const code = /^\S+ \[([A-Za-z/-]+)/.exec(body);
    if (code?.[1]) {
      const start = body.indexOf('[') + 1;
      b.term(
        'response-code',
        'POP3 response code',
        { text: code[1], start, end: start + code[1].length },
        lookupPop3ResponseCode(code[1]),
      );
    }
    return;
  }
  if (ctx.previousVerb === 'CAPA' && words[0]) {
    if (b.term('capability', 'POP3 capability', words[0], lookupCapability('pop3', words[0].text)))
      if (words[0].text.toUpperCase() === 'SASL') for (const w of words.slice(1)) addMechanism(b, w);
  }
}

function imapLine(b: Builder, dir: LineDirection, body: string): void {
  const words = wordsOf(body);
  if (dir === 'C') {
    const v = clientVerb('imap', body);
    if (!v) return;
    if (v.tag)
      b.add(
        'tag',
        v.tag,
        `${v.tag.text}: the command's tag`,
        `**${escapeMarkdown(v.tag.text)}** (IMAP tag): the client's name for this command; the server's final reply to it starts with the same tag, so commands can overlap.\n\n${link(rfc(9051, '2.2.1'))}`,
        rfc(9051, '2.2.1'),
      );
    addVerb(b, 'imap', { text: v.verb, start: v.start, end: v.end }, v.verb);
    const args = words.filter((w) => w.start >= v.argsStart);
    if (v.verb === 'AUTHENTICATE') addMechanism(b, args[0]);
    if (v.verb === 'ENABLE')
      for (const w of args) b.term('capability', 'IMAP capability', w, lookupCapability('imap', w.text));
    for (const w of args) addFlagLike(b, w, false);
    return;
  }
  if (/^\+(\s|$)/.test(body)) {
    b.add(
      'continuation',
      { text: '+', start: 0, end: 1 },
      '+: continuation request',
      `**+** (IMAP continuation request): the server is ready for the rest of the command: literal data, or the next SASL response.\n\n${link(rfc(9051, '7.5'))}`,
      rfc(9051, '7.5'),
    );
    return;
  }
  const first = words[0];
  const second = words[1];
  if (!first || !second) return;
  if (first.text !== '*')
    b.add(
      'tag',
      first,
      `${first.text}: tag of the command this reply completes`,
      `**${escapeMarkdown(first.text)}** (IMAP tag): this tagged reply completes the client command with the same tag.\n\n${link(rfc(9051, '2.2.2'))}`,
      rfc(9051, '2.2.2'),
    );
  let kindIndex = 1;
  if (/^\d+$/.test(second.text)) kindIndex = 2;
  const kind = words[kindIndex];
  if (!kind) return;
  b.term('response', 'IMAP response', kind, lookupImapResponse(kind.text));
  const upper = kind.text.toUpperCase();
  const bracket = /\[([A-Za-z0-9-]+)([^\]]*)\]/.exec(body);
  let codeName: string | undefined;
  if (
    ['OK', 'NO', 'BAD', 'PREAUTH', 'BYE'].includes(upper) &&
    bracket?.[1] &&
    bracket.index === kind.end + 1
  ) {
    codeName = bracket[1].toUpperCase();
    const start = bracket.index + 1;
    b.term(
      'response-code',
      'IMAP response code',
      { text: bracket[1], start, end: start + bracket[1].length },
      lookupImapResponseCode(bracket[1]),
    );
  }
  const listed = words.filter((w) => w.start > kind.end);
  if (upper === 'CAPABILITY' || codeName === 'CAPABILITY') {
    const end = codeName ? (bracket?.index ?? 0) + (bracket?.[0].length ?? 0) : body.length;
    for (const w of listed)
      if (w.end <= end && w.text.toUpperCase() !== 'CAPABILITY')
        b.term('capability', 'IMAP capability', w, lookupCapability('imap', w.text));
  }
  if (upper === 'ENABLED')
    for (const w of listed) b.term('capability', 'IMAP capability', w, lookupCapability('imap', w.text));
  for (const w of listed) addFlagLike(b, w, upper === 'LIST' || upper === 'LSUB');
}

/** Every explained element of one line, in order of position. */
export function lineElements(
  protocol: KnowledgeProtocol,
  dir: LineDirection,
  body: string,
  ctx: LineContext = {},
): LineElement[] {
  if (dir === 'L') return [];
  const b = builder();
  if (protocol === 'smtp') smtpLine(b, dir, body, ctx);
  else if (protocol === 'pop3') pop3Line(b, dir, body, ctx);
  else imapLine(b, dir, body);
  return b.out.sort((x, y) => x.start - y.start);
}

/** The element under a 0-based offset in the protocol text. */
export function elementAt(
  protocol: KnowledgeProtocol,
  dir: LineDirection,
  body: string,
  offset: number,
  ctx: LineContext = {},
): LineElement | undefined {
  return lineElements(protocol, dir, body, ctx).find((e) => offset >= e.start && offset < e.end);
}
