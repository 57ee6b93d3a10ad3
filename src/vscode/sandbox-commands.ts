// Start/Stop Sandbox Server: the local test mail server from src/sandbox/launcher.ts.
import * as vscode from './api.js';
import type { Features } from './features.js';
import type { RunningSandboxHandle } from './session-opener.js';
import { background, errorText, notify } from './ui.js';

export class SandboxControl implements vscode.Disposable {
  private running: RunningSandboxHandle | undefined;
  private starting = false;

  constructor(private readonly features: Features) {}

  async start(): Promise<void> {
    if (this.running) {
      notify('info', 'the sandbox server is already running (see the Mailwire output)');
      this.features.log.info(this.running.describe());
      return;
    }
    if (this.starting) return;
    this.starting = true;
    try {
      this.running = await this.features.startSandbox();
    } catch (error) {
      const message = `could not start the sandbox server: ${errorText(error)}`;
      this.features.log.error(message);
      notify('error', message);
      return;
    } finally {
      this.starting = false;
    }
    this.setContext(true);
    this.features.log.info(`sandbox server started:\n${this.running.describe()}`);
    notify(
      'info',
      `sandbox server started. ${firstLine(this.running.describe())} (details in the Mailwire output)`,
    );
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) {
      notify(
        'info',
        this.starting
          ? 'the sandbox server is still starting; stop it once it is up'
          : 'the sandbox server is not running',
      );
      return;
    }
    this.running = undefined;
    this.setContext(false);
    try {
      await running.stop();
    } catch (error) {
      const message = `the sandbox server did not stop cleanly: ${errorText(error)}`;
      this.features.log.error(message);
      notify('error', message);
      return;
    }
    this.features.log.info('sandbox server stopped');
    notify('info', 'sandbox server stopped');
  }

  dispose(): void {
    const running = this.running;
    this.running = undefined;
    if (running)
      running.stop().catch((error: unknown) => this.features.log.error(`sandbox stop: ${errorText(error)}`));
  }

  private setContext(value: boolean): void {
    background(
      vscode.commands.executeCommand('setContext', 'mailwire.sandboxRunning', value),
      this.features.log,
    );
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
