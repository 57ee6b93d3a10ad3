// Registers every Mailwire feature with VS Code. Called once from activate().
import * as vscode from './api.js';
import type { CredentialStore } from './credentials.js';
import type { Features } from './features.js';
import { SandboxControl } from './sandbox-commands.js';
import { registerLanguageFeatures } from './language-register.js';
import { disconnect, openTranscript, removeSession, saveTranscript, sendLine } from './session-commands.js';
import type { SessionManager } from './session-manager.js';
import type { SandboxStarter, SessionOpener } from './session-opener.js';
import { SessionsTree } from './sessions-tree.js';
import { SessionStatusBar } from './status-bar.js';
import { showState, StatePanels } from './state-panel.js';
import { TranscriptDocuments } from './transcript-documents.js';
import { liveLinesSetting } from './transcript-text.js';
import { MESSAGE_SCHEME, MessageDocuments } from './message-documents.js';
import { TRANSCRIPT_SCHEME, sessionIdFromPath } from './transcript-uri.js';
import { registerVerbCommands } from './verb-commands.js';
import { background, guarded, type Log } from './ui.js';

export interface Services {
  readonly openSession: SessionOpener;
  readonly startSandbox: SandboxStarter;
}

/** Secret storage behind the CredentialStore interface. */
function secretStore(secrets: vscode.SecretStorage): CredentialStore {
  return {
    get: (key) => Promise.resolve(secrets.get(key)),
    store: (key, secret) => Promise.resolve(secrets.store(key, secret)),
    delete: (key) => Promise.resolve(secrets.delete(key)),
  };
}

/** The session a transcript or fetched-message document belongs to. */
function sessionOfDocument(uri: vscode.Uri): string | undefined {
  if (uri.scheme === TRANSCRIPT_SCHEME) return sessionIdFromPath(uri.path);
  if (uri.scheme === MESSAGE_SCHEME) return /^\/([^/]+)\//.exec(uri.path)?.[1];
  return undefined;
}

const connectionCommands = () => import('./connection-commands.js');

export function registerFeatures(
  context: vscode.ExtensionContext,
  manager: SessionManager,
  log: Log,
  services: Services,
): void {
  const config = () => vscode.workspace.getConfiguration('mailwire');
  const documents = new TranscriptDocuments(
    manager,
    log,
    () => config().get<boolean>('transcript.timestamps') ?? true,
    () => liveLinesSetting(config().get<unknown>('transcript.liveLines')),
  );
  const features: Features = {
    context,
    manager,
    documents,
    log,
    credentials: secretStore(context.secrets),
    openSession: services.openSession,
    startSandbox: services.startSandbox,
  };
  const tree = new SessionsTree(manager);
  const view = vscode.window.createTreeView('mailwire.sessions', {
    treeDataProvider: tree,
    showCollapseAll: false,
  });
  const sandbox = new SandboxControl(features);
  const statusBar = new SessionStatusBar(manager);
  const statePanels = new StatePanels(context.extensionUri, manager, log);
  const messages = new MessageDocuments(features);

  const command = (id: string, what: string, handler: (arg: unknown) => Promise<void> | void) =>
    vscode.commands.registerCommand(id, guarded(log, what, handler));

  context.subscriptions.push(
    documents,
    tree,
    view,
    sandbox,
    statusBar,
    statePanels,
    // The transcript or message in focus makes its session the active one (palette verbs,
    // Show Session State, the status bar follow it).
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      const id = editor ? sessionOfDocument(editor.document.uri) : undefined;
      if (id !== undefined && manager.get(id)) manager.setActive(id);
    }),
    view.onDidChangeSelection((e) => {
      const first = e.selection[0];
      if (first) manager.setActive(first.id);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mailwire.transcript.timestamps')) documents.rerenderAll();
      if (e.affectsConfiguration('mailwire.transcript.liveLines')) documents.resetAll();
    }),
    // The connection commands load on first use: they carry the session and transport code.
    command('mailwire.connect', 'Connect', async () => (await connectionCommands()).connect(features)),
    command('mailwire.newConnection', 'New Connection', async () =>
      (await connectionCommands()).newConnection(features),
    ),
    command('mailwire.forgetPassword', 'Forget Saved Password', async () =>
      (await connectionCommands()).forgetPassword(features),
    ),
    command('mailwire.disconnect', 'Disconnect', (arg) => disconnect(features, arg)),
    command('mailwire.removeSession', 'Remove from List', (arg) => removeSession(features, arg)),
    command('mailwire.openTranscript', 'Open Transcript', (arg) => openTranscript(features, arg)),
    command('mailwire.saveTranscript', 'Save Transcript', (arg) => saveTranscript(features, arg)),
    command('mailwire.sendLine', 'Send Line', (arg) => sendLine(features, arg)),
    command('mailwire.showState', 'Show Session State', (arg) => showState(features, statePanels, arg)),
    command('mailwire.startSandbox', 'Start Sandbox Server', () => sandbox.start()),
    command('mailwire.stopSandbox', 'Stop Sandbox Server', () => sandbox.stop()),
    messages,
    command('mailwire.saveMessage', 'Save Message', () => messages.saveActive()),
    ...registerVerbCommands(features, messages),
    // Scripts and transcripts: hovers, completion, problems, CodeLens, Test Explorer, their commands.
    ...registerLanguageFeatures(features),
  );

  const offFailed = manager.events.on('failed', ({ entry, reason }) => {
    log.error(`${entry.label.title}: ${reason}`);
    background(
      vscode.window.showErrorMessage(`Mailwire: ${reason}`, 'Open Transcript').then((action) => {
        if (action === 'Open Transcript') return documents.open(entry);
        return undefined;
      }),
      log,
    );
  });
  context.subscriptions.push({ dispose: offFailed });
  background(vscode.commands.executeCommand('setContext', 'mailwire.sandboxRunning', false), log);
}
