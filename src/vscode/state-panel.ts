// The Session State panels: one webview panel per session, fed by its state model. The vscode
// side only creates panels and adapts events; StatePanelController does the work.
import * as vscode from './api.js';
import { sessionArg, type Features } from './features.js';
import type { SessionEntry, SessionManager } from './session-manager.js';
import { StatePanelController } from './state-controller.js';
import { stateHtml } from './state-html.js';
import { notify, type Log } from './ui.js';

interface Open {
  readonly panel: vscode.WebviewPanel;
  readonly controller: StatePanelController;
}

export class StatePanels implements vscode.Disposable {
  private readonly open = new Map<string, Open>();
  private readonly offManager: Array<() => void> = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: SessionManager,
    private readonly log: Log,
  ) {
    this.offManager.push(
      manager.events.on('change', (entry) => {
        if (entry) this.open.get(entry.id)?.controller.refresh();
        else for (const [id, o] of this.open) if (!manager.get(id)) this.gone(id, o);
      }),
    );
  }

  /** Shows (or reveals) the state panel of a session. */
  show(entry: SessionEntry): void {
    const known = this.open.get(entry.id);
    if (known) {
      known.panel.reveal(undefined, true);
      return;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(
      'mailwire.state',
      `State: ${entry.label.title}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      // No retainContextWhenHidden: the view restores itself from getState when shown again.
      { enableScripts: true, localResourceRoots: [media, dist] },
    );
    const webview = panel.webview;
    webview.html = stateHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview', 'state.css')).toString(),
      title: `State: ${entry.label.title}`,
    });
    const id = entry.id;
    const manager = this.manager;
    const controller = new StatePanelController(
      {
        id,
        state: entry.state,
        title: () => manager.get(id)?.label.title ?? entry.label.title,
        live: () => {
          const status = manager.get(id)?.session.status;
          return status === 'open';
        },
      },
      {
        post: (m) => webview.postMessage(m),
        get visible() {
          return panel.visible;
        },
      },
      (command, arg) => vscode.commands.executeCommand(command, arg),
      this.log,
    );
    const subs = [
      webview.onDidReceiveMessage((m: unknown) => controller.receive(m)),
      panel.onDidChangeViewState((e) => {
        controller.visibilityChanged(e.webviewPanel.visible);
        // The focused view decides which session the palette verbs talk to.
        if (e.webviewPanel.active) manager.setActive(id);
      }),
      panel.onDidDispose(() => {
        controller.dispose();
        this.open.delete(id);
        for (const s of subs) s.dispose();
      }),
    ];
    this.open.set(id, { panel, controller });
  }

  dispose(): void {
    for (const off of this.offManager.splice(0)) off();
    for (const o of [...this.open.values()]) o.panel.dispose();
    this.open.clear();
  }

  private gone(id: string, o: Open): void {
    o.controller.sessionGone();
    this.open.delete(id);
    o.panel.title = `${o.panel.title} (removed)`;
  }
}

/** Mailwire: Show Session State: the clicked session, else the active one, else a pick. */
export async function showState(features: Features, panels: StatePanels, arg: unknown): Promise<void> {
  let entry = sessionArg(features, arg) ?? features.manager.active;
  if (!entry) {
    const all = features.manager.list();
    if (all.length === 0) {
      notify('info', 'no session is open; run "Mailwire: Connect..." first');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      all.map((e) => ({ label: e.label.title, description: e.label.description, entry: e })),
      { title: 'Mailwire: show the state of which session?' },
    );
    entry = picked?.entry;
  }
  if (entry) panels.show(entry);
}
