// The status bar item for the active session: protocol, state and a lock when TLS is up.
import * as vscode from './api.js';
import type { SessionEntry, SessionManager } from './session-manager.js';
import { statusBarText } from './session-label.js';
import { background } from './ui.js';

export class SessionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'mailwire.activeSession',
    vscode.StatusBarAlignment.Left,
    10,
  );
  private readonly off: () => void;

  constructor(manager: SessionManager) {
    this.item.name = 'Mailwire Session';
    this.item.command = 'mailwire.openTranscript';
    this.off = manager.events.on('active', (entry) => this.show(entry));
    this.show(manager.active);
  }

  private show(entry: SessionEntry | undefined): void {
    background(
      vscode.commands.executeCommand(
        'setContext',
        'mailwire.activeSessionLive',
        entry?.session.status === 'open',
      ),
    );
    if (!entry) {
      this.item.hide();
      return;
    }
    const icon =
      entry.label.contextValue === 'mailwire.session.closed'
        ? '$(debug-disconnect)'
        : entry.label.tls
          ? '$(lock)'
          : '$(unlock)';
    this.item.text = `${icon} ${statusBarText(entry.label, entry.session.protocol)}`;
    this.item.tooltip = `${entry.label.tooltip}\nClick to open the transcript`;
    this.item.show();
  }

  dispose(): void {
    this.off();
    this.item.dispose();
  }
}
