// One IMAP connection: socket wiring, the command queue, the tagged reply. Kept thin: commands
// live in commands/*.ts, framing in command-reader.ts, mailbox view in selected.ts.

import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import { TLSSocket, createSecureContext } from 'node:tls';
import type { MailStore, SandboxUser, UserMailboxes } from '../store/types.js';
import { CommandReader, type CommandUnit } from './command-reader.js';
import { COMMANDS } from './commands/index.js';
import type { ImapServerOptions, Result, SessionContext, SessionState } from './context.js';
import { ParseError, parseCommand, peekTag } from './parser.js';
import type { SelectedMailbox } from './selected.js';

/** Idle connections are logged out after this long (RFC 3501 5.4 asks for at least 30 minutes). */
const AUTOLOGOUT_MS = 30 * 60_000;
/** After a graceful end, a peer that does not close is cut off after this long. */
const CLOSE_GRACE_MS = 2_000;
/** Commands read ahead of execution; beyond this the socket pauses so a flood cannot fill memory. */
const MAX_QUEUED_COMMANDS = 64;

const BASE_CAPABILITIES = [
  'IMAP4rev1',
  'LITERAL+',
  'SASL-IR',
  'ID',
  'ENABLE',
  'IDLE',
  'NAMESPACE',
  'UNSELECT',
  'UIDPLUS',
  'MOVE',
  'SPECIAL-USE',
  'CHILDREN',
];

export class ImapSession implements SessionContext {
  state: SessionState = 'not-authenticated';
  user: SandboxUser | undefined;
  selected: SelectedMailbox | undefined;
  readonly self: object = {};
  readonly loopback: boolean;
  private tlsActive: boolean;
  private readonly reader: CommandReader;
  private readonly queue: CommandUnit[] = [];
  private lineWaiter: ((line: string | null) => void) | undefined;
  private pumping = false;
  private idling = false;
  private closed = false;

  constructor(
    private socket: Socket,
    readonly store: MailStore,
    readonly options: ImapServerOptions,
    secure: boolean,
    private readonly onClosed: (session: ImapSession) => void,
  ) {
    this.tlsActive = secure;
    const remote = socket.remoteAddress ?? '';
    this.loopback = remote === '::1' || remote.startsWith('127.') || remote.startsWith('::ffff:127.');
    this.reader = new CommandReader({
      unit: (unit) => this.onUnit(unit),
      continueLiteral: () => this.write('+ Ready for literal data\r\n'),
      refusedLiteral: (tag, message) => this.write(`${tag} BAD ${message}\r\n`),
      fatal: (message) => this.shutdown(message),
    });
    this.attach(socket);
    socket.setTimeout(AUTOLOGOUT_MS, () => this.shutdown('autologout: idle for too long'));
  }

  start(): void {
    const host = this.options.hostname ?? 'localhost';
    this.write(
      `* OK [CAPABILITY ${this.capabilities().join(' ')}] ${host} Mailwire sandbox IMAP4rev1 ready\r\n`,
    );
  }

  get secure(): boolean {
    return this.tlsActive;
  }

  /** Says goodbye and closes (server shutdown, limits, autologout). */
  shutdown(reason: string): void {
    if (this.closed) return;
    this.write(`* BYE ${reason}\r\n`);
    this.close();
  }

  // SessionContext

  mailboxes(): UserMailboxes {
    if (!this.user) throw new ParseError('log in first');
    return this.store.mailboxes(this.user);
  }

  capabilities(): string[] {
    const caps = [...BASE_CAPABILITIES];
    const canStartTls = this.options.tls !== undefined && !this.options.implicitTls && !this.tlsActive;
    if (canStartTls && this.state === 'not-authenticated') caps.push('STARTTLS');
    if (canStartTls && !this.loopback && this.state === 'not-authenticated') caps.push('LOGINDISABLED');
    else if (this.state === 'not-authenticated') caps.push('AUTH=PLAIN');
    return caps;
  }

  untagged(text: string | Buffer): void {
    this.write(typeof text === 'string' ? `* ${text}\r\n` : text);
  }

  continuation(text: string): void {
    this.write(`+ ${text}\r\n`);
  }

  nextLine(): Promise<string | null> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(lineOf(queued));
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.lineWaiter = resolve;
    });
  }

  flushUpdates(allowExpunge: boolean): void {
    if (!this.selected) return;
    for (const line of this.selected.flush(allowExpunge)) this.untagged(line);
  }

  onFolderChange(): void {
    if (this.idling) this.flushUpdates(true);
  }

  setIdling(idling: boolean): void {
    this.idling = idling;
  }

  async startTls(): Promise<void> {
    const tlsOptions = this.options.tls;
    if (!tlsOptions) return;
    // Anything the client sent after STARTTLS in plaintext is dropped unread (RFC 3501 6.2.1).
    this.reader.reset();
    this.queue.length = 0;
    this.detach(this.socket);
    this.socket.resume();
    const secureSocket = new TLSSocket(this.socket, {
      isServer: true,
      secureContext: createSecureContext({ key: tlsOptions.key, cert: tlsOptions.cert }),
    });
    this.socket = secureSocket;
    this.attach(secureSocket);
    await new Promise<void>((resolve) => {
      secureSocket.once('secure', () => resolve());
      secureSocket.once('close', () => resolve());
    });
    this.tlsActive = true;
  }

  deselect(): void {
    this.selected?.close();
    this.selected = undefined;
    if (this.state === 'selected') this.state = 'authenticated';
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const socket = this.socket;
    socket.end();
    const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    this.cleanup();
  }

  // Internals

  private readonly onData = (chunk: Buffer): void => {
    try {
      this.reader.push(chunk);
    } catch (e) {
      this.shutdown(`internal error reading the command: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  private readonly onClose = (): void => {
    this.closed = true;
    this.cleanup();
  };

  private readonly onError = (): void => {
    // A reset or TLS failure: 'close' follows and cleans up; nothing to tell the peer.
  };

  private attach(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
  }

  private detach(socket: Socket): void {
    socket.off('data', this.onData);
    socket.off('close', this.onClose);
    socket.off('error', this.onError);
  }

  private cleanup(): void {
    this.deselect();
    this.queue.length = 0;
    const waiter = this.lineWaiter;
    this.lineWaiter = undefined;
    waiter?.(null);
    this.onClosed(this);
  }

  private write(data: string | Buffer): void {
    if (this.closed || this.socket.destroyed || !this.socket.writable) return;
    this.socket.write(data);
  }

  private onUnit(unit: CommandUnit): void {
    if (this.closed) return;
    if (this.lineWaiter) {
      const waiter = this.lineWaiter;
      this.lineWaiter = undefined;
      waiter(lineOf(unit));
      return;
    }
    this.queue.push(unit);
    if (this.queue.length > MAX_QUEUED_COMMANDS) this.socket.pause();
    this.pump().catch((e: unknown) =>
      this.shutdown(`internal error: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed) {
        const unit = this.queue.shift();
        if (!unit) break;
        await this.execute(unit);
        if (this.socket.writableNeedDrain && !this.closed) await this.drained();
        if (this.queue.length <= MAX_QUEUED_COMMANDS && this.socket.isPaused()) this.socket.resume();
      }
    } finally {
      this.pumping = false;
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private async execute(unit: CommandUnit): Promise<void> {
    let command;
    try {
      command = parseCommand(unit);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const tag = e instanceof ParseError ? e.tag : peekTag(unit);
      this.write(`${tag ?? '*'} BAD ${message}\r\n`);
      return;
    }
    if (
      this.selected &&
      this.user &&
      this.store.mailboxes(this.user).folder(this.selected.folder.name) !== this.selected.folder
    ) {
      // Like Dovecot: a session whose mailbox vanished under it cannot go on meaningfully.
      this.shutdown(`mailbox ${this.selected.folder.name} was deleted by another session`);
      return;
    }
    const spec = COMMANDS[command.name];
    let result: Result;
    if (!spec) {
      result = { status: 'BAD', text: `unknown command ${command.name.slice(0, 40)}` };
    } else if (!spec.states.includes(this.state)) {
      result = { status: 'BAD', text: stateMessage(command.name, this.state) };
    } else {
      try {
        result = await spec.handler(this, command.args, command);
      } catch (e) {
        result =
          e instanceof ParseError
            ? { status: 'BAD', text: e.message }
            : {
                status: 'NO',
                code: 'SERVERBUG',
                text: `internal error: ${e instanceof Error ? e.message : String(e)}`,
              };
      }
    }
    if (this.closed && this.state !== 'logout') return;
    this.flushUpdates(spec?.expungeSafe ?? true);
    const code = result.code ? `[${result.code}] ` : '';
    this.write(`${command.tag} ${result.status} ${code}${result.text}\r\n`);
    if (result.after) {
      try {
        await result.after();
      } catch (e) {
        this.shutdown(`${command.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}

function lineOf(unit: CommandUnit): string {
  return unit.segments.map((s) => s.line).join('\r\n');
}

function stateMessage(name: string, state: SessionState): string {
  if (state === 'not-authenticated') return `${name} needs you to log in first (LOGIN or AUTHENTICATE)`;
  if (state === 'authenticated') {
    return ['LOGIN', 'AUTHENTICATE', 'STARTTLS'].includes(name)
      ? `${name}: already logged in`
      : `${name} needs a selected mailbox (SELECT or EXAMINE first)`;
  }
  return `${name} is not allowed in the ${state} state`;
}
