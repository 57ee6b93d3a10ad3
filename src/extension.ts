// Entry point of the VS Code extension: builds the session manager and registers the features.
import * as vscode from './vscode/api.js';
import { SessionManager } from './vscode/session-manager.js';
import { registerFeatures } from './vscode/register.js';
import { openSessionService, startSandboxService } from './vscode/services.js';
import { createLog, errorText } from './vscode/ui.js';

export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('Mailwire', { log: true });
  const log = createLog(channel);
  const manager = new SessionManager((error) => log.error(`internal: ${errorText(error)}`));
  context.subscriptions.push(channel, { dispose: () => manager.dispose() });
  registerFeatures(context, manager, log, {
    openSession: openSessionService,
    startSandbox: startSandboxService,
  });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
