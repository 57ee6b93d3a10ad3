// The IMAP part of the session state, kept from parsed server events only: capabilities,
// namespaces, the mailbox tree, STATUS data, the selected mailbox and its message table.
// The table follows the server: EXISTS grows it, EXPUNGE removes a row and renumbers the rest,
// VANISHED removes rows by UID, and any FETCH (asked for or not) updates its row.
import type { Address, FetchData } from '../protocol/imap/fetch.js';
import type { ImapEvent } from '../protocol/imap/events.js';
import type { ResponseCode, UntaggedResponse } from '../protocol/imap/response.js';
import { decodeMailboxName } from '../protocol/imap/mutf7.js';
import { decodeEncodedWords } from './encoded-words.js';
import { readImapCommand } from './imap-args.js';
import { clip, STATE_LIMITS } from './limits.js';
import type {
  ImapSnapshot,
  MailboxSnapshot,
  MessageSnapshot,
  NamespaceSnapshot,
  SelectedMailboxSnapshot,
} from './snapshot.js';
import { PendingMap } from '../protocol/pending-map.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Row = Mutable<Omit<MessageSnapshot, 'seq'>>;

const SPECIAL_USE = new Set([
  '\\ALL',
  '\\ARCHIVE',
  '\\DRAFTS',
  '\\FLAGGED',
  '\\JUNK',
  '\\SENT',
  '\\TRASH',
  '\\IMPORTANT',
]);
const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'];

interface Selected {
  name: string;
  wireName: string;
  opening: boolean;
  readOnly: boolean;
  exists?: number;
  recent?: number;
  firstUnseen?: number;
  uidValidity?: number;
  uidNext?: number;
  highestModseq?: bigint;
  flags?: string[];
  permanentFlags?: string[];
  /**
   * One slot per message, index = sequence number - 1 (undefined: nothing fetched yet), at most
   * STATE_LIMITS.messages. EXPUNGE is then one splice: every later message moves down by itself.
   */
  slots: Array<Row | undefined>;
  stale?: string;
}

interface Listing {
  readonly verb: 'LIST' | 'LSUB';
  /** A full `LIST "" *`: mailboxes it does not return no longer exist. */
  readonly full: boolean;
  readonly seen: Set<string>;
}

export type Warn = (text: string) => void;

export class ImapStateReducer {
  private capabilities: string[] = [];
  private enabled: string[] = [];
  private namespaces: ImapSnapshot['namespaces'];
  private readonly mailboxes = new Map<string, Mutable<MailboxSnapshot>>();
  private selected: Selected | undefined;
  private readonly lines = new PendingMap<number, string>();
  private readonly listings = new PendingMap<number, Listing>();
  private idleId: number | undefined;

  constructor(private readonly warn: Warn) {}

  mailboxNames(): string[] {
    const names: string[] = [];
    for (const m of this.mailboxes.values()) if (m.listed || m.subscribed) names.push(m.name);
    return names;
  }

  permanentFlags(): string[] {
    const s = this.selected;
    const flags = s?.permanentFlags ?? s?.flags ?? SYSTEM_FLAGS;
    // `\*` only says new keywords may be created; it is not a flag one can set.
    return flags.filter((f) => f !== '\\*');
  }

  messageCount(): number | undefined {
    return this.selected?.exists;
  }

  saslMechanisms(): string[] {
    return this.capabilities.filter((c) => c.startsWith('AUTH=')).map((c) => c.slice(5));
  }

  capabilityList(): string[] {
    return [...this.capabilities];
  }

  /** `Selected INBOX, 12 messages` (cheap: for the Sessions view and the status bar). */
  summary(): string | undefined {
    const s = this.selected;
    if (!s || s.opening) return undefined;
    const count = s.exists === undefined ? '' : `, ${s.exists} message${s.exists === 1 ? '' : 's'}`;
    return `${this.idleId !== undefined ? 'Idling in' : 'Selected'} ${s.name}${s.readOnly ? ' (read-only)' : ''}${count}`;
  }

  /** The first line of a command went out. */
  commandSent(id: number, line: string): void {
    this.lines.set(id, line);
    const { verb, args } = readImapCommand(line);
    if (verb === 'SELECT' || verb === 'EXAMINE') {
      const wireName = args[0] ?? '';
      // The responses that follow describe the new mailbox, whatever the outcome.
      this.selected = {
        name: displayName(wireName),
        wireName,
        opening: true,
        readOnly: verb === 'EXAMINE',
        slots: [],
      };
    } else if (verb === 'LIST' || verb === 'LSUB') {
      const reference = args[0] ?? '';
      const pattern = args[1] ?? '';
      this.listings.set(id, {
        verb,
        full: verb === 'LIST' && reference === '' && pattern === '*',
        seen: new Set(),
      });
    } else if (verb === 'IDLE') {
      this.idleId = id;
    }
  }

  /** The connection is now encrypted: what the server said before TLS may have been forged. */
  tlsEstablished(): void {
    this.capabilities = [];
  }

  /** Applies one codec event; returns whether anything changed. */
  event(e: ImapEvent): boolean {
    switch (e.type) {
      case 'greeting':
        if (e.code) this.code(e.code);
        return true;
      case 'untagged':
        return this.untagged(e.response);
      case 'tagged':
        if (e.code) this.code(e.code);
        this.tagged(e.command.id, e.command.verb, e.status === 'OK', e.code);
        return true;
      case 'completed':
        if (e.command.id === this.idleId) this.idleId = undefined;
        this.lines.delete(e.command.id);
        this.listings.delete(e.command.id);
        return true;
      case 'continuation':
        return e.command?.verb === 'IDLE';
      default:
        return false;
    }
  }

  closed(): void {
    this.idleId = undefined;
  }

  snapshot(): ImapSnapshot {
    return {
      capabilities: [...this.capabilities],
      enabled: [...this.enabled],
      ...(this.namespaces ? { namespaces: this.namespaces } : {}),
      mailboxes: [...this.mailboxes.values()].map((m) => ({
        ...m,
        attributes: [...m.attributes],
        specialUse: [...m.specialUse],
        ...(m.status ? { status: { ...m.status } } : {}),
      })),
      ...(this.selected ? { selected: selectedSnapshot(this.selected) } : {}),
      idling: this.idleId !== undefined,
    };
  }

  private tagged(id: number, verb: string, ok: boolean, code: ResponseCode | undefined): void {
    if (verb === 'SELECT' || verb === 'EXAMINE') {
      const s = this.selected;
      if (!ok) {
        // RFC 9051 6.3.2: a failed SELECT leaves no mailbox selected.
        this.selected = undefined;
        return;
      }
      if (s) {
        s.opening = false;
        if (code?.kind === 'flag' && code.name === 'READ-ONLY') s.readOnly = true;
        if (code?.kind === 'flag' && code.name === 'READ-WRITE') s.readOnly = false;
      }
      return;
    }
    if ((verb === 'CLOSE' || verb === 'UNSELECT') && ok) {
      this.selected = undefined;
      return;
    }
    const listing = this.listings.get(id);
    if (listing?.full && ok) {
      // A complete listing: drop mailboxes that are gone (renamed or deleted since).
      for (const [key, m] of this.mailboxes) {
        if (listing.seen.has(key)) continue;
        if (m.subscribed) m.listed = false;
        else this.mailboxes.delete(key);
      }
    }
  }

  private code(code: ResponseCode): void {
    const s = this.selected;
    switch (code.kind) {
      case 'CAPABILITY':
        this.capabilities = code.capabilities.slice(0, STATE_LIMITS.listItems);
        break;
      case 'PERMANENTFLAGS':
        if (s) s.permanentFlags = code.flags.slice(0, STATE_LIMITS.listItems);
        break;
      case 'UIDVALIDITY':
        if (s) {
          if (s.uidValidity !== undefined && s.uidValidity !== code.value && s.slots.some(Boolean)) {
            // New UIDVALIDITY: every UID we knew is meaningless now.
            s.slots = s.slots.map(() => undefined);
            this.warn(
              `UIDVALIDITY changed from ${s.uidValidity} to ${code.value}: the message table was cleared`,
            );
          }
          s.uidValidity = code.value;
        }
        break;
      case 'UIDNEXT':
        if (s) s.uidNext = code.value;
        break;
      case 'UNSEEN':
        if (s) s.firstUnseen = code.value;
        break;
      case 'HIGHESTMODSEQ':
        if (s) s.highestModseq = code.value;
        break;
      case 'flag':
        if (s && code.name === 'READ-ONLY') s.readOnly = true;
        if (s && code.name === 'READ-WRITE') s.readOnly = false;
        // `* OK [CLOSED]`: the previous mailbox is closed; the one being opened follows.
        break;
      default:
        break;
    }
  }

  private untagged(r: UntaggedResponse): boolean {
    switch (r.kind) {
      case 'status':
        if (r.code) this.code(r.code);
        return r.code !== undefined || r.status === 'BYE';
      case 'capability':
        this.capabilities = r.capabilities.slice(0, STATE_LIMITS.listItems);
        return true;
      case 'enabled':
        for (const c of r.capabilities) if (!this.enabled.includes(c)) this.enabled.push(c);
        return true;
      case 'namespace':
        this.namespaces = {
          personal: ns(r.personal),
          otherUsers: ns(r.otherUsers),
          shared: ns(r.shared),
        };
        return true;
      case 'list':
      case 'lsub':
        return this.listed(r.kind, r.attributes, r.delimiter, r.mailbox);
      case 'mailbox-status': {
        const m = this.mailbox(r.mailbox);
        if (!m) return false;
        const status: Record<string, number | string> = { ...(m.status ?? {}) };
        for (const [k, v] of Object.entries(r.attributes))
          status[k] = typeof v === 'bigint' ? v.toString() : v;
        m.status = status;
        return true;
      }
      case 'flags':
        if (this.selected) this.selected.flags = r.flags.slice(0, STATE_LIMITS.listItems);
        return this.selected !== undefined;
      case 'exists':
        return this.exists(r.number);
      case 'recent':
        if (this.selected) this.selected.recent = r.number;
        return this.selected !== undefined;
      case 'expunge':
        return this.expunge(r.number);
      case 'vanished':
        return this.vanished(r.uids, r.earlier);
      case 'fetch':
        return this.fetch(r.data);
      default:
        return false;
    }
  }

  private listed(
    kind: 'list' | 'lsub',
    attributes: readonly string[],
    delimiter: string | null,
    wireName: string,
  ): boolean {
    // `LIST "" ""` answers with the hierarchy delimiter and an empty name: not a mailbox.
    if (wireName === '') return false;
    const m = this.mailbox(wireName);
    if (!m) return false;
    m.delimiter = delimiter;
    const upper = attributes.map((a) => a.toUpperCase());
    if (kind === 'list') {
      m.listed = true;
      m.attributes = attributes.slice(0, STATE_LIMITS.listItems);
      m.specialUse = attributes.filter((a) => SPECIAL_USE.has(a.toUpperCase()));
      m.selectable = !upper.includes('\\NOSELECT') && !upper.includes('\\NONEXISTENT');
      if (upper.includes('\\SUBSCRIBED')) m.subscribed = true;
    } else {
      m.subscribed = true;
      if (!m.listed) m.selectable = !upper.includes('\\NOSELECT');
    }
    this.listings.forEach((l) => {
      if (l.verb === kind.toUpperCase()) l.seen.add(wireName);
    });
    return true;
  }

  private mailbox(wireName: string): Mutable<MailboxSnapshot> | undefined {
    const known = this.mailboxes.get(wireName);
    if (known) return known;
    if (this.mailboxes.size >= STATE_LIMITS.mailboxes) {
      this.warn(`more than ${STATE_LIMITS.mailboxes} mailboxes: ${wireName} and later ones are not shown`);
      return undefined;
    }
    const m: Mutable<MailboxSnapshot> = {
      name: displayName(wireName),
      wireName,
      delimiter: null,
      attributes: [],
      specialUse: [],
      listed: false,
      subscribed: false,
      selectable: true,
    };
    this.mailboxes.set(wireName, m);
    return m;
  }

  private exists(n: number): boolean {
    const s = this.selected;
    if (!s) {
      this.warn(`* ${n} EXISTS arrived with no mailbox selected`);
      return false;
    }
    if (s.exists !== undefined && n < s.exists && !s.opening) {
      // EXISTS never shrinks without EXPUNGE/VANISHED; drop rows past the new end so they cannot lie.
      this.warn(`EXISTS went down from ${s.exists} to ${n} without EXPUNGE; rows past ${n} were removed`);
    }
    s.exists = n;
    fit(s);
    return true;
  }

  private expunge(seq: number): boolean {
    const s = this.selected;
    if (!s) return false;
    if (s.exists !== undefined && (seq < 1 || seq > s.exists)) {
      this.warn(`* ${seq} EXPUNGE is outside the mailbox (1:${s.exists}); ignored`);
      return true;
    }
    // Every later message moves down by one (RFC 9051 7.5.1).
    if (seq <= s.slots.length) s.slots.splice(seq - 1, 1);
    if (s.exists !== undefined) s.exists--;
    fit(s);
    return true;
  }

  private vanished(uidSet: string, earlier: boolean): boolean {
    const s = this.selected;
    if (!s) return false;
    const uids = expandSet(uidSet, s.uidNext);
    if (uids === undefined) {
      s.stale = `VANISHED ${uidSet} is too large to apply; fetch the message list again`;
      return true;
    }
    // When every message's UID is known, a UID we do not have named no message at all.
    const allKnown =
      s.exists !== undefined && s.slots.length === s.exists && s.slots.every((r) => r?.uid !== undefined);
    const gone = new Set(uids);
    const before = s.slots.length;
    s.slots = s.slots.filter((r) => r?.uid === undefined || !gone.has(r.uid));
    const removed = before - s.slots.length;
    const unknown = gone.size - removed;
    if (!earlier) {
      if (s.exists !== undefined) s.exists = Math.max(0, s.exists - removed);
      if (unknown > 0 && !allKnown) {
        // Without the UIDs we cannot tell which sequence numbers moved, nor how many.
        s.stale = `VANISHED named ${unknown} UID(s) not in the table, so sequence numbers and the count may be off; fetch the message list again`;
      }
    }
    fit(s);
    return true;
  }

  private fetch(data: FetchData): boolean {
    const s = this.selected;
    if (!s) {
      this.warn(`* ${data.seq} FETCH arrived with no mailbox selected`);
      return false;
    }
    if (data.seq > STATE_LIMITS.messages) {
      this.warn(`message ${data.seq} is past the ${STATE_LIMITS.messages} rows the table keeps`);
      return false;
    }
    if (s.exists === undefined || data.seq > s.exists) {
      if (s.exists !== undefined)
        this.warn(`* ${data.seq} FETCH is past EXISTS (${s.exists}); the row was kept`);
      s.exists = data.seq;
      fit(s);
    }
    let row = s.slots[data.seq - 1];
    if (!row) {
      row = {};
      s.slots[data.seq - 1] = row;
    }
    if (data.uid !== undefined) row.uid = data.uid;
    if (data.flags !== undefined) row.flags = data.flags.slice(0, STATE_LIMITS.listItems);
    if (data.size !== undefined) row.size = data.size;
    if (data.internalDate !== undefined) row.internalDate = data.internalDate;
    if (data.modseq !== undefined) row.modseq = data.modseq.toString();
    if (data.envelope) {
      const from = data.envelope.from[0];
      if (from) {
        const raw = formatAddress(from);
        row.from = clip(decodeEncodedWords(raw));
        if (row.from !== raw) row.fromRaw = clip(raw);
      }
      if (data.envelope.subject !== null) {
        const raw = data.envelope.subject;
        row.subject = clip(decodeEncodedWords(raw));
        if (row.subject !== raw) row.subjectRaw = clip(raw);
      }
    }
    if (data.modseq !== undefined && (s.highestModseq === undefined || data.modseq > s.highestModseq))
      s.highestModseq = data.modseq;
    return true;
  }
}

function displayName(wireName: string): string {
  return decodeMailboxName(wireName) ?? wireName;
}

function ns(entries: readonly { prefix: string; delimiter: string | null }[] | null): NamespaceSnapshot[] {
  return (entries ?? []).map((e) => ({ prefix: displayName(e.prefix), delimiter: e.delimiter }));
}

function formatAddress(a: Address): string {
  const address = a.address ?? a.mailbox ?? '';
  return a.name ? `${a.name} <${address}>` : address;
}

/** Makes the table one slot per message (up to the row limit). */
function fit(s: Selected): void {
  const length = Math.min(s.exists ?? s.slots.length, STATE_LIMITS.messages);
  if (s.slots.length > length) s.slots.length = length;
  while (s.slots.length < length) s.slots.push(undefined);
}

/** Expands a UID set; `*` is the highest UID in use. Undefined when it names too many UIDs. */
function expandSet(set: string, uidNext: number | undefined): number[] | undefined {
  const star = uidNext !== undefined ? uidNext - 1 : Number.MAX_SAFE_INTEGER;
  const out: number[] = [];
  for (const part of set.split(',')) {
    const [a, b] = part.split(':');
    const from = a === '*' ? star : Number(a);
    const to = b === undefined ? from : b === '*' ? star : Number(b);
    const lo = Math.min(from, to);
    const hi = Math.max(from, to);
    if (!Number.isFinite(lo) || hi - lo > STATE_LIMITS.messages) return undefined;
    for (let u = lo; u <= hi; u++) out.push(u);
    if (out.length > STATE_LIMITS.messages) return undefined;
  }
  return out;
}

function selectedSnapshot(s: Selected): SelectedMailboxSnapshot {
  const rows: MessageSnapshot[] = [];
  let known = 0;
  s.slots.forEach((r, i) => {
    if (!r) return;
    known++;
    if (rows.length < STATE_LIMITS.snapshotMessages)
      rows.push({ seq: i + 1, ...r, ...(r.flags ? { flags: [...r.flags] } : {}) });
  });
  return {
    name: s.name,
    wireName: s.wireName,
    opening: s.opening,
    readOnly: s.readOnly,
    ...(s.exists !== undefined ? { exists: s.exists } : {}),
    ...(s.recent !== undefined ? { recent: s.recent } : {}),
    ...(s.firstUnseen !== undefined ? { firstUnseen: s.firstUnseen } : {}),
    ...(s.uidValidity !== undefined ? { uidValidity: s.uidValidity } : {}),
    ...(s.uidNext !== undefined ? { uidNext: s.uidNext } : {}),
    ...(s.highestModseq !== undefined ? { highestModseq: s.highestModseq.toString() } : {}),
    ...(s.flags ? { flags: [...s.flags] } : {}),
    ...(s.permanentFlags ? { permanentFlags: [...s.permanentFlags] } : {}),
    messages: rows,
    messagesOmitted: known - rows.length,
    ...(s.stale ? { stale: s.stale } : {}),
  };
}
