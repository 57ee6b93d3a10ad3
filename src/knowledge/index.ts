// The protocol knowledge base: one place for what every verb, reply code, response code and
// capability means, with the RFC section that says so. Hovers, completion, "Explain Line" and the
// walkthrough read it through these lookups. Plain data; no vscode.
import { ENHANCED_CLASSES, ENHANCED_CODES, ENHANCED_SUBJECTS } from './enhanced-codes.js';
import {
  IMAP_CAPABILITIES,
  IMAP_FLAGS,
  IMAP_MAILBOX_ATTRIBUTES,
  POP3_CAPABILITIES,
  SASL_MECHANISMS,
  SMTP_CAPABILITIES,
} from './capabilities.js';
import { IMAP_RESPONSE_CODES, IMAP_RESPONSES } from './imap-codes.js';
import { POP3_RESPONSE_CODES, POP3_STATUS } from './pop3-codes.js';
import { SMTP_REPLY_CLASSES, SMTP_REPLY_CODES } from './smtp-codes.js';
import type { KnowledgeProtocol, TermEntry, VerbEntry } from './types.js';
import { IMAP_VERBS } from './verbs-imap.js';
import { POP3_VERBS } from './verbs-pop3.js';
import { SMTP_VERBS } from './verbs-smtp.js';

export type { KnowledgeProtocol, SpecRef, TermEntry, VerbEntry } from './types.js';
export { refText } from './refs.js';
export {
  ENHANCED_CODES,
  IMAP_CAPABILITIES,
  IMAP_FLAGS,
  IMAP_MAILBOX_ATTRIBUTES,
  IMAP_RESPONSE_CODES,
  IMAP_RESPONSES,
  POP3_CAPABILITIES,
  POP3_RESPONSE_CODES,
  POP3_STATUS,
  SASL_MECHANISMS,
  SMTP_CAPABILITIES,
  SMTP_REPLY_CODES,
};

export const VERBS_BY_PROTOCOL: Readonly<Record<KnowledgeProtocol, readonly VerbEntry[]>> = {
  imap: IMAP_VERBS,
  pop3: POP3_VERBS,
  smtp: SMTP_VERBS,
};

function index(entries: readonly TermEntry[]): ReadonlyMap<string, TermEntry> {
  return new Map(entries.map((e) => [e.name.toUpperCase(), e]));
}

const VERB_INDEX: Readonly<Record<KnowledgeProtocol, ReadonlyMap<string, VerbEntry>>> = {
  imap: new Map(IMAP_VERBS.map((v) => [v.verb, v])),
  pop3: new Map(POP3_VERBS.map((v) => [v.verb, v])),
  smtp: new Map(SMTP_VERBS.map((v) => [v.verb, v])),
};
const SMTP_CODE_INDEX = index(SMTP_REPLY_CODES);
const ENHANCED_INDEX = index(ENHANCED_CODES);
const ENHANCED_SUBJECT_INDEX = index(ENHANCED_SUBJECTS);
const ENHANCED_CLASS_INDEX = index(ENHANCED_CLASSES);
const IMAP_CODE_INDEX = index(IMAP_RESPONSE_CODES);
const IMAP_RESPONSE_INDEX = index(IMAP_RESPONSES);
const POP3_CODE_INDEX = index(POP3_RESPONSE_CODES);
const POP3_STATUS_INDEX = index(POP3_STATUS);
const CAPABILITY_INDEX: Readonly<Record<KnowledgeProtocol, ReadonlyMap<string, TermEntry>>> = {
  imap: index(IMAP_CAPABILITIES),
  pop3: index(POP3_CAPABILITIES),
  smtp: index(SMTP_CAPABILITIES),
};
const SASL_INDEX = index(SASL_MECHANISMS);
const FLAG_INDEX = index([
  ...IMAP_FLAGS,
  ...IMAP_MAILBOX_ATTRIBUTES.filter((a) => !/^\\Flagged$/i.test(a.name)),
]);
const ATTRIBUTE_INDEX = index(IMAP_MAILBOX_ATTRIBUTES);

/** The verb entry for `verb` (any case; `uid fetch` and `UID  FETCH` both find UID FETCH). */
export function lookupVerb(protocol: KnowledgeProtocol, verb: string): VerbEntry | undefined {
  return VERB_INDEX[protocol].get(verb.trim().replace(/\s+/g, ' ').toUpperCase());
}

/** Every verb valid in `state` (all verbs when the state is unknown or not a command state). */
export function verbsValidIn(protocol: KnowledgeProtocol, state: string | undefined): readonly VerbEntry[] {
  const all = VERBS_BY_PROTOCOL[protocol];
  if (state === undefined) return all;
  const valid = all.filter((v) => v.states.includes(state));
  return valid;
}

export function lookupSmtpReply(code: string): TermEntry | undefined {
  return SMTP_CODE_INDEX.get(code);
}

/** What the first digit of an SMTP reply code means, for codes without an entry of their own. */
export function smtpReplyClass(code: string): string | undefined {
  return /^[2-5]\d\d$/.test(code) ? SMTP_REPLY_CLASSES[code[0] ?? ''] : undefined;
}

export interface EnhancedStatus {
  readonly code: string;
  /** The class (2, 4, 5). */
  readonly class: TermEntry;
  /** The subject (X.1 addressing, X.7 security...). */
  readonly subject: TermEntry;
  /** The enumerated detail, when the registry has one. */
  readonly detail: TermEntry | undefined;
}

/** Parses and explains `class.subject.detail` (e.g. `5.7.1`); undefined when it is not one. */
export function lookupEnhancedStatus(code: string): EnhancedStatus | undefined {
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(code);
  if (!m) return undefined;
  const cls = ENHANCED_CLASS_INDEX.get(m[1] ?? '');
  const subject = ENHANCED_SUBJECT_INDEX.get(`X.${m[2]}`);
  if (!cls || !subject) return undefined;
  return { code, class: cls, subject, detail: ENHANCED_INDEX.get(`X.${m[2]}.${m[3]}`) };
}

export function lookupImapResponseCode(code: string): TermEntry | undefined {
  return IMAP_CODE_INDEX.get(code.toUpperCase());
}

/** Status words (OK, NO, BAD, PREAUTH, BYE) and untagged response kinds (EXISTS, FETCH, LIST...). */
export function lookupImapResponse(word: string): TermEntry | undefined {
  return IMAP_RESPONSE_INDEX.get(word.toUpperCase());
}

export function lookupPop3ResponseCode(code: string): TermEntry | undefined {
  return POP3_CODE_INDEX.get(code.toUpperCase());
}

export function lookupPop3Status(word: string): TermEntry | undefined {
  return POP3_STATUS_INDEX.get(word.toUpperCase());
}

/**
 * A capability (IMAP), CAPA tag (POP3) or EHLO keyword (SMTP). IMAP `NAME=VALUE` atoms fall back
 * to their family (`AUTH=SCRAM-SHA-256` finds `AUTH=`).
 */
export function lookupCapability(protocol: KnowledgeProtocol, name: string): TermEntry | undefined {
  const key = name.toUpperCase();
  const table = CAPABILITY_INDEX[protocol];
  const exact = table.get(key);
  if (exact) return exact;
  const eq = key.indexOf('=');
  if (eq > 0) return table.get(key.slice(0, eq + 1));
  return undefined;
}

export function lookupSaslMechanism(name: string): TermEntry | undefined {
  return SASL_INDEX.get(name.toUpperCase());
}

/** An IMAP message flag or keyword (`\Seen`, `$Junk`). */
export function lookupImapFlag(flag: string): TermEntry | undefined {
  return FLAG_INDEX.get(flag.toUpperCase());
}

/** An IMAP mailbox attribute from LIST (`\HasChildren`, `\Sent`). */
export function lookupMailboxAttribute(attr: string): TermEntry | undefined {
  return ATTRIBUTE_INDEX.get(attr.toUpperCase());
}
