// The script runner's ScriptTarget over real sessions. Reply lines are read back from the
// transcript (the exact bytes, redacted), and a reply is complete when the codec says so
// (`completed`) or when the server asks for more (IMAP `+`, SMTP 354/334, POP3 `+ `).
import type { ScriptConnectSettings, ScriptConnection, ScriptTarget, ReplyLines } from '../script/target.js';
import type { PayloadKind } from '../script/ast.js';
import { bytesToVisible } from '../transcript/render.js';
import type { WireEvent } from '../transcript/events.js';
import { openSession, type OpenSessionOptions } from './open.js';
import type { AnyEvent, MailSession } from './session.js';

export interface SessionTargetOptions {
  /** Extra trusted CAs (PEM) for every connection. */
  readonly ca?: readonly string[];
  /** Called with each session as it opens (to show or save its transcript). */
  readonly onSession?: (session: MailSession, settings: ScriptConnectSettings) => void;
  /** Where to write each session's transcript file, if anywhere. */
  readonly transcriptFile?: (settings: ScriptConnectSettings, index: number) => string | undefined;
  /** Test hook: how sessions are opened. */
  readonly open?: (options: OpenSessionOptions) => Promise<MailSession>;
}

export function createSessionTarget(options: SessionTargetOptions = {}): ScriptTarget {
  let index = 0;
  return {
    async connect(settings) {
      const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
      const url = `${settings.protocol}${settings.implicitTls ? 's' : ''}://${host}:${settings.port}`;
      const file = options.transcriptFile?.(settings, index++);
      const session = await (options.open ?? openSession)({
        url,
        acceptUnverified: settings.acceptUnverified,
        timeouts: {
          connectMs: settings.timeoutMs,
          greetingMs: settings.timeoutMs,
          replyMs: settings.timeoutMs,
        },
        ...(options.ca ? { ca: options.ca } : {}),
        ...(file ? { transcriptFile: file } : {}),
      });
      options.onSession?.(session, settings);
      if (session.status === 'closed')
        throw new Error(session.closedBecause ?? `could not connect to ${url}`);
      return new SessionConnection(session);
    },
  };
}

class SessionConnection implements ScriptConnection {
  /** Index of the first transcript event not yet returned in a reply. */
  private cursor = 0;

  constructor(private readonly session: MailSession) {}

  greeting(): Promise<ReplyLines> {
    const lines = this.takeLines();
    const first = lines[0] ?? '';
    return Promise.resolve({ lines, continuation: false, ok: /^(\* OK|\* PREAUTH|220|\+OK)/i.test(first) });
  }

  send(line: string, secrets: readonly string[]): Promise<ReplyLines> {
    return this.exchange(line, secrets, `the reply to ${firstWords(line, secrets)}`);
  }

  sendPayload(bytes: Uint8Array, kind: PayloadKind, secrets: readonly string[]): Promise<ReplyLines> {
    return this.exchange(
      bytes,
      secrets,
      kind === 'smtp-data' ? 'the reply to the message body' : 'the reply to the literal',
    );
  }

  async startTls(): Promise<void> {
    const info = this.session.tls ?? (await this.tlsPromise);
    if (!info) throw new Error(this.session.closedBecause ?? 'the TLS handshake failed');
  }

  close(): void {
    this.session.close('closed by the script');
  }

  private tlsPromise: Promise<unknown> = Promise.resolve(undefined);

  private exchange(data: string | Uint8Array, secrets: readonly string[], what: string): Promise<ReplyLines> {
    if (this.session.status === 'closed') {
      return Promise.reject(
        new Error(`the connection is closed (${this.session.closedBecause ?? 'closed'})`),
      );
    }
    if (typeof data === 'string' && /^(\S+ )?(STARTTLS|STLS)\s*$/i.test(data))
      this.tlsPromise = this.session.nextTls();
    return new Promise<ReplyLines>((resolve, reject) => {
      const stops: Array<() => void> = [];
      const done = (fn: () => void) => {
        for (const stop of stops) stop();
        fn();
      };
      stops.push(
        this.session.events.on('protocol', (event) => {
          const outcome = replyOutcome(event);
          if (outcome === undefined) return;
          done(() =>
            resolve({
              lines: this.takeLines(),
              continuation: outcome === 'continue',
              ok: outcome !== 'failed',
            }),
          );
        }),
        this.session.events.on('close', ({ reason }) => {
          done(() => reject(new Error(`connection closed while waiting for ${what}: ${reason}`)));
        }),
      );
      // The session's own result is not awaited: the reply may be a continuation, which comes first.
      void this.session.sendRaw(data, secrets);
    });
  }

  /** Server lines recorded since the last reply, as text. */
  private takeLines(): string[] {
    const transcript = this.session.transcript;
    const lines: string[] = [];
    for (; this.cursor < transcript.length; this.cursor++) {
      const e = transcript.at(this.cursor);
      if (!e || e.dir !== 'S') continue;
      lines.push(...wireLines(e));
    }
    return lines;
  }
}

/** `ok`/`failed` for a completed command, `continue` for a continuation request, else undefined. */
function replyOutcome(event: AnyEvent): 'ok' | 'failed' | 'continue' | undefined {
  if (event.type === 'completed') return (event as unknown as { ok: boolean }).ok ? 'ok' : 'failed';
  if (event.type === 'continuation') return 'continue';
  if (event.type === 'reply') {
    const code = (event as unknown as { reply?: { code?: number } }).reply?.code;
    if (code === 354 || code === 334) return 'continue';
  }
  return undefined;
}

function wireLines(e: WireEvent): string[] {
  let text = '';
  let at = 0;
  for (const p of e.payloads ?? []) {
    text += bytesToVisible(e.bytes.subarray(at, p.offset)) + `[literal: ${p.size} bytes]`;
    at = p.offset;
  }
  text += bytesToVisible(e.bytes.subarray(at));
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function firstWords(line: string, secrets: readonly string[]): string {
  let shown = line;
  for (const s of secrets) if (s) shown = shown.split(s).join('<redacted>');
  return shown.length > 60 ? shown.slice(0, 60) + '...' : shown;
}
