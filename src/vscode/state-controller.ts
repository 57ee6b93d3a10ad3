// What one state panel does, without the vscode API: posts batched state to its webview, answers
// `ready` (the script restarted after hide/show), and turns view actions into the palette verb
// commands, so every click sends a real command through the same session and its transcript.
import type { FromWebview, ToWebview } from '../shared/messages.js';
import type { SessionStateModel } from '../state/index.js';
import { UpdateBatcher, type BatchTimers } from './state-batcher.js';
import { invocationFor, readFromWebview, type VerbInvocation } from './state-actions.js';

export interface StateTarget {
  readonly id: string;
  readonly state: SessionStateModel;
  title(): string;
  /** Whether the session can still send commands. */
  live(): boolean;
}

export interface PanelPort {
  post(message: ToWebview): PromiseLike<unknown> | void;
  readonly visible: boolean;
}

export type ExecuteCommand = (command: string, arg: VerbInvocation['args']) => PromiseLike<unknown>;

export interface ControllerLog {
  warn(message: string): void;
}

export class StatePanelController {
  private readonly batcher: UpdateBatcher;
  private readonly offState: () => void;
  private gone = false;

  constructor(
    private readonly target: StateTarget,
    private readonly port: PanelPort,
    private readonly execute: ExecuteCommand,
    private readonly log: ControllerLog,
    timers?: BatchTimers,
  ) {
    this.batcher = new UpdateBatcher(
      () => this.postState(),
      () => port.visible,
      100,
      timers,
    );
    this.offState = target.state.onChange(() => this.batcher.changed());
  }

  /** Any message from the webview (untrusted: checked before use). Never throws. */
  receive(raw: unknown): void {
    const read = readFromWebview(raw);
    if ('error' in read) {
      this.log.warn(`state view sent an unexpected message: ${read.error}`);
      return;
    }
    this.handle(read.message);
  }

  visibilityChanged(visible: boolean): void {
    if (visible) this.batcher.shown();
  }

  /** Something outside the model changed (status, label): post it like a state change. */
  refresh(): void {
    this.batcher.changed();
  }

  sessionGone(): void {
    this.gone = true;
    this.post({ type: 'session-gone', sessionId: this.target.id });
    this.dispose();
  }

  dispose(): void {
    this.offState();
    this.batcher.dispose();
  }

  private handle(m: FromWebview): void {
    if (m.type === 'ready') {
      this.batcher.shown();
      return;
    }
    const { requestId, action } = m;
    if (this.gone || !this.target.live()) {
      this.post({
        type: 'action-result',
        requestId,
        ok: false,
        message: this.gone
          ? 'the session was removed'
          : 'the session cannot send commands now (it is closed or still connecting)',
      });
      return;
    }
    const call = invocationFor(this.target.id, action);
    let pending: PromiseLike<unknown>;
    try {
      pending = this.execute(call.command, call.args);
    } catch (error) {
      this.post({ type: 'action-result', requestId, ok: false, message: text(error) });
      return;
    }
    Promise.resolve(pending).then(
      () => this.post({ type: 'action-result', requestId, ok: true }),
      (error: unknown) =>
        this.post({
          type: 'action-result',
          requestId,
          ok: false,
          // A verb command that is not registered yet reads `command 'x' not found`.
          message: text(error),
        }),
    );
  }

  private postState(): void {
    if (this.gone) return;
    this.post({
      type: 'state',
      sessionId: this.target.id,
      title: this.target.title(),
      live: this.target.live(),
      snapshot: this.target.state.snapshot(),
    });
  }

  private post(message: ToWebview): void {
    try {
      const r = this.port.post(message);
      if (r) Promise.resolve(r).catch((error: unknown) => this.log.warn(`state view: ${text(error)}`));
    } catch (error) {
      this.log.warn(`state view: ${text(error)}`);
    }
  }
}

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
