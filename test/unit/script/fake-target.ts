// An in-memory ScriptTarget that plays a recorded dialogue and records what the runner sent.

import type { PayloadKind } from '../../../src/script/ast.js';
import type {
  ReplyLines,
  ScriptConnectSettings,
  ScriptConnection,
  ScriptTarget,
} from '../../../src/script/target.js';

export interface Exchange {
  /** The line (or payload text, decoded as UTF-8) the runner must send. */
  readonly expect: string;
  /** The reply; `'hang'` never answers. */
  readonly reply: ReplyLines | 'hang';
}

export interface FakeSession {
  /** A rejection reason for connect, or the greeting. */
  readonly refuse?: string;
  readonly greeting: ReplyLines | 'hang';
  readonly exchanges: readonly Exchange[];
  /** Reject startTls with this message. */
  readonly tlsError?: string;
}

export interface Sent {
  readonly kind: 'line' | PayloadKind | 'starttls';
  readonly text: string;
  readonly secrets: readonly string[];
}

export const ok = (...lines: string[]): ReplyLines => ({ lines, continuation: false, ok: true });
export const no = (...lines: string[]): ReplyLines => ({ lines, continuation: false, ok: false });
export const cont = (...lines: string[]): ReplyLines => ({ lines, continuation: true, ok: true });

export class FakeTarget implements ScriptTarget {
  readonly connects: ScriptConnectSettings[] = [];
  readonly sent: Sent[][] = [];
  readonly closed: boolean[] = [];
  private next = 0;

  constructor(private readonly sessions: readonly FakeSession[]) {}

  connect(settings: ScriptConnectSettings): Promise<ScriptConnection> {
    const index = this.next++;
    const session = this.sessions[index];
    this.connects.push(settings);
    if (!session) return Promise.reject(new Error(`fake: no session #${index + 1} recorded`));
    if (session.refuse !== undefined) return Promise.reject(new Error(session.refuse));
    const sent: Sent[] = [];
    this.sent.push(sent);
    this.closed.push(false);
    let step = 0;
    const answer = (kind: Sent['kind'], text: string, secrets: readonly string[]): Promise<ReplyLines> => {
      sent.push({ kind, text, secrets });
      if (this.closed[index]) return Promise.reject(new Error('fake: connection closed'));
      const ex = session.exchanges[step++];
      if (!ex)
        return Promise.reject(
          new Error(`fake: nothing recorded after ${step - 1} exchanges (got ${JSON.stringify(text)})`),
        );
      if (ex.expect !== text) {
        return Promise.reject(
          new Error(`fake: expected ${JSON.stringify(ex.expect)}, got ${JSON.stringify(text)}`),
        );
      }
      return ex.reply === 'hang' ? new Promise<ReplyLines>(() => undefined) : Promise.resolve(ex.reply);
    };
    return Promise.resolve({
      greeting: () =>
        session.greeting === 'hang'
          ? new Promise<ReplyLines>(() => undefined)
          : Promise.resolve(session.greeting),
      send: (line, secrets) => answer('line', line, secrets),
      sendPayload: (bytes, kind, secrets) => answer(kind, Buffer.from(bytes).toString('utf8'), secrets),
      startTls: () => {
        sent.push({ kind: 'starttls', text: '', secrets: [] });
        return session.tlsError !== undefined
          ? Promise.reject(new Error(session.tlsError))
          : Promise.resolve();
      },
      close: () => {
        this.closed[index] = true;
      },
    });
  }
}
