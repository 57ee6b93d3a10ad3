// What every command needs, passed explicitly instead of through module-level state.
import type * as vscode from 'vscode';
import type { CredentialStore } from './credentials.js';
import type { SessionEntry, SessionManager } from './session-manager.js';
import type { SandboxStarter, SessionOpener } from './session-opener.js';
import type { TranscriptDocuments } from './transcript-documents.js';
import type { Log } from './ui.js';

export interface Features {
  readonly context: vscode.ExtensionContext;
  readonly manager: SessionManager;
  readonly documents: TranscriptDocuments;
  readonly log: Log;
  readonly credentials: CredentialStore;
  readonly openSession: SessionOpener;
  readonly startSandbox: SandboxStarter;
}

/** A command argument that names a session: a tree element or anything with its id. */
export function sessionArg(features: Features, arg: unknown): SessionEntry | undefined {
  if (typeof arg === 'object' && arg !== null && 'id' in arg) {
    const id = arg.id;
    if (typeof id === 'string') return features.manager.get(id);
  }
  return undefined;
}
