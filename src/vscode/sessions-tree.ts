// The "Sessions" tree: one item per session with protocol, user@host, a lock when TLS is up and
// the state as description. Context values drive the inline actions (see package.json menus).
import * as vscode from './api.js';
import type { SessionEntry, SessionManager } from './session-manager.js';

export class SessionsTree implements vscode.TreeDataProvider<SessionEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionEntry | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly manager: SessionManager) {
    // Entries are replaced on every change, so refresh the list; ids keep the selection.
    const off = manager.events.on('change', () => this.changed.fire(undefined));
    this.disposables.push({ dispose: off });
  }

  getChildren(element?: SessionEntry): SessionEntry[] {
    return element ? [] : this.manager.list();
  }

  getTreeItem(entry: SessionEntry): vscode.TreeItem {
    const current = this.manager.get(entry.id) ?? entry;
    const { label } = current;
    const item = new vscode.TreeItem(label.title, vscode.TreeItemCollapsibleState.None);
    item.id = current.id;
    item.description = label.description;
    item.tooltip = label.tooltip;
    item.contextValue = label.contextValue;
    item.iconPath =
      label.contextValue === 'mailwire.session.closed'
        ? new vscode.ThemeIcon('debug-disconnect')
        : label.tls
          ? new vscode.ThemeIcon('lock')
          : new vscode.ThemeIcon('unlock', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    item.command = { command: 'mailwire.openTranscript', title: 'Open Transcript', arguments: [current] };
    return item;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
