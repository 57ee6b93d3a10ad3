// One POP3 session (RFC 1939): the state, the maildrop snapshot, and the plumbing the verb handlers
// in commands.ts share. Knows nothing about sockets; server.ts feeds it lines through Pop3Io.
import { Buffer } from 'node:buffer';
import { LIMITS } from '../../protocol/limits.js';
import type { Folder, MailStore, SandboxUser, StoredMessage, UserMailboxes } from '../store/types.js';
import { COMMANDS, type Pop3State } from './commands.js';
import { multilineBody } from './multiline.js';
import { printable } from './printable.js';

/** What a session needs from its connection. */
export interface Pop3Io {
  write(data: string | Buffer): void;
  /** Ends the connection once everything written has been sent. */
  close(): void;
  /** Called right after `+OK` to STLS: the connection must start the TLS handshake now. */
  startTls(): void;
  readonly secure: boolean;
  /** True when the server has a certificate, so STLS can be offered. */
  readonly tlsAvailable: boolean;
  /** The client is on this machine (plaintext passwords are then allowed). */
  readonly loopback: boolean;
}

export interface MaildropEntry {
  readonly message: StoredMessage;
  deleted: boolean;
}

export class Pop3Session {
  state: Pop3State = 'AUTHORIZATION';
  /** Name given by USER, waiting for PASS. */
  pendingUser: string | undefined;
  /** Set after `AUTH PLAIN` without an initial response: the next line is the SASL response. */
  awaitingSaslResponse = false;
  user: SandboxUser | undefined;
  /** INBOX as it was at login (RFC 1939: later deliveries are not shown to this session). */
  maildrop: MaildropEntry[] = [];
  private inbox: Folder | undefined;
  private mailboxes: UserMailboxes | undefined;
  private badCommands = 0;
  private closed = false;

  constructor(
    readonly store: MailStore,
    readonly io: Pop3Io,
    readonly hostname: string,
    /** APOP timestamp sent in the greeting, `<pid.time@hostname>`. */
    readonly timestamp: string,
  ) {}

  greet(): void {
    this.ok(`Mailwire sandbox POP3 ready ${this.timestamp}`);
  }

  handleLine(line: Buffer): void {
    if (this.closed) return;
    try {
      this.dispatch(line);
    } catch (err) {
      // A handler bug must not take the server down with it; the client gets a specific reply.
      this.err(`[SYS/PERM] internal error: ${err instanceof Error ? err.message : 'unknown'}`);
    }
  }

  private dispatch(line: Buffer): void {
    if (this.awaitingSaslResponse) {
      this.awaitingSaslResponse = false;
      COMMANDS['AUTH']?.continue?.(this, line.toString('latin1'));
      return;
    }
    const text = line.toString('utf8');
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(text)) return this.bad('command contains control characters');
    const space = text.indexOf(' ');
    const verb = (space === -1 ? text : text.slice(0, space)).toUpperCase();
    const args = space === -1 ? '' : text.slice(space + 1);
    if (verb === '') return this.bad('empty command');
    const command = COMMANDS[verb];
    if (!command) return this.bad(`unknown command ${printable(verb)}`);
    if (!command.states.includes(this.state)) {
      return this.bad(`${verb} is not allowed in the ${this.state} state`);
    }
    command.run(this, args);
  }

  ok(text: string): void {
    this.io.write(`+OK ${text}\r\n`);
  }

  err(text: string): void {
    this.io.write(`-ERR ${text}\r\n`);
  }

  /** `+OK text`, then the dot-stuffed body and the terminating `.` line. */
  okMultiline(text: string, body: Buffer): void {
    this.io.write(Buffer.concat([Buffer.from(`+OK ${text}\r\n`, 'utf8'), multilineBody(body)]));
  }

  /** A failed command that counts toward the bad-command limit. */
  bad(text: string): void {
    this.badCommands++;
    if (this.badCommands >= LIMITS.sandboxMaxBadCommands) {
      this.err(`${text}; too many bad commands (limit sandboxMaxBadCommands), closing`);
      this.close();
      return;
    }
    this.err(text);
  }

  /** Locks the user's maildrop and enters TRANSACTION; false (after -ERR) when someone holds it. */
  login(user: SandboxUser): boolean {
    const mailboxes = this.store.mailboxes(user);
    if (!mailboxes.lockMaildrop(this)) {
      this.err('[IN-USE] maildrop already locked');
      return false;
    }
    const inbox = mailboxes.folder('INBOX');
    this.user = user;
    this.mailboxes = mailboxes;
    this.inbox = inbox;
    this.maildrop = (inbox?.messages() ?? []).map((message) => ({ message, deleted: false }));
    this.state = 'TRANSACTION';
    const { count, size } = this.totals();
    this.ok(`${user.username} has ${count} message${count === 1 ? '' : 's'} (${size} octets)`);
    return true;
  }

  /** Messages not marked deleted and their total size (STAT, RSET). */
  totals(): { count: number; size: number } {
    let count = 0;
    let size = 0;
    for (const e of this.maildrop) {
      if (!e.deleted) {
        count++;
        size += e.message.size;
      }
    }
    return { count, size };
  }

  /**
   * The entry a message-number argument names, or undefined after sending the -ERR. Deleted
   * messages are refused as RFC 1939 requires.
   */
  entry(arg: string): { entry: MaildropEntry; number: number } | undefined {
    const trimmed = arg.trim();
    if (!/^\d{1,10}$/.test(trimmed)) {
      this.bad(
        trimmed === '' ? 'a message number is required' : `invalid message number ${printable(trimmed)}`,
      );
      return undefined;
    }
    const number = Number(trimmed);
    const entry = this.maildrop[number - 1];
    if (number < 1 || !entry) {
      this.err(`no such message, only ${this.maildrop.length} in maildrop`);
      return undefined;
    }
    if (entry.deleted) {
      this.err(`message ${number} already deleted`);
      return undefined;
    }
    return { entry, number };
  }

  /** RETR marks the message \Seen in the store, as Dovecot does, so IMAP clients see it read. */
  markSeen(message: StoredMessage): void {
    if (message.flags.has('\\Seen') || !this.inbox) return;
    this.inbox.setFlags(message.uid, [...message.flags, '\\Seen'], this);
  }

  /** UPDATE state (QUIT in TRANSACTION): removes the messages marked deleted. */
  update(): { removed: number; failed: boolean } {
    this.state = 'UPDATE';
    const uids = this.maildrop.filter((e) => e.deleted).map((e) => e.message.uid);
    let failed = false;
    if (uids.length > 0 && this.inbox) {
      try {
        this.inbox.expunge(uids, this);
      } catch {
        failed = true;
      }
    }
    return { removed: uids.length, failed };
  }

  /** Ends the session (after the last reply is written). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
    this.io.close();
  }

  /** The connection is gone: release the lock, delete nothing (RFC 1939 section 6). */
  connectionLost(): void {
    this.closed = true;
    this.release();
  }

  private release(): void {
    this.mailboxes?.unlockMaildrop(this);
    this.mailboxes = undefined;
  }
}
