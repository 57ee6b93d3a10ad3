// Finds the session a command is about: the tree item clicked, else the active one, else asks.
import * as vscode from './api.js';
import { sessionArg, type Features } from './features.js';
import type { SessionEntry } from './session-manager.js';
import { commandBlocked, type SessionCommand } from './session-label.js';
import { notify } from './ui.js';

export async function pickSession(
  features: Features,
  arg: unknown,
  command: SessionCommand,
): Promise<SessionEntry | undefined> {
  const usable = (e: SessionEntry) => commandBlocked(command, e.session.status) === undefined;
  const explicit = sessionArg(features, arg);
  if (explicit) {
    const blocked = commandBlocked(command, explicit.session.status);
    if (blocked) notify('warn', `${explicit.label.title}: ${blocked}`);
    return blocked ? undefined : explicit;
  }
  const candidates = features.manager.list().filter(usable);
  const active = features.manager.active;
  if (active && usable(active)) return active;
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    const any = features.manager.list().length > 0;
    notify(
      'info',
      any
        ? 'no session can do that now (they are closed or busy)'
        : 'no session is open; run "Mailwire: Connect..." first',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((entry) => ({ label: entry.label.title, description: entry.label.description, entry })),
    { title: 'Mailwire: choose a session', ignoreFocusOut: true },
  );
  return picked?.entry;
}
