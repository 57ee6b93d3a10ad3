// One palette command per protocol verb. The commands are registered at activation from the
// manifest (package.json lists them, generated from the verb table by `npm run manifest`), so
// activation does not load the verb table and the session code it runs on: verb-run.ts loads on
// the first verb command, or when a session becomes active (for the context key).
import * as vscode from './api.js';
import { VERB_STATE_KEY } from '../verbs/context-key.js';
import type { Features } from './features.js';
import type { MessageDocuments } from './message-documents.js';
import { background, guarded } from './ui.js';
import { manifestVerbCommands } from './verb-manifest.js';

/** What a caller (the state view, a keybinding, a test) may pass instead of answering prompts. */
export interface VerbCommandArg {
  readonly sessionId?: string;
  readonly args?: Readonly<Record<string, string>>;
}

type VerbRunModule = typeof import('./verb-run.js');
let verbRunModule: VerbRunModule | undefined;

/** Synchronous (the context key needs it in an event handler); esbuild bundles it lazily. */
function verbRun(): VerbRunModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  verbRunModule ??= require('./verb-run.js') as VerbRunModule;
  return verbRunModule;
}

export function registerVerbCommands(features: Features, messages: MessageDocuments): vscode.Disposable[] {
  const keys = new VerbContextKeys(features);
  return [
    keys,
    ...manifestVerbCommands(features.context.extension.packageJSON).map(({ command, label }) =>
      vscode.commands.registerCommand(
        command,
        guarded(features.log, label, async (arg: unknown) => {
          await verbRun().runVerbCommand(features, messages, command, arg);
          keys.refresh();
        }),
      ),
    ),
  ];
}

/** Keeps `mailwire.activeVerbState` (`imap:selected`, `pop3:transaction`, ...) current. */
class VerbContextKeys implements vscode.Disposable {
  private last: string | undefined;
  private offSession: (() => void) | undefined;
  private readonly offManager: Array<() => void>;

  constructor(private readonly features: Features) {
    this.offManager = [
      features.manager.events.on('active', () => this.follow()),
      features.manager.events.on('change', () => this.refresh()),
    ];
    this.follow();
  }

  refresh(): void {
    const entry = this.features.manager.active;
    const value = entry ? verbRun().verbStateKey(entry.session) : 'none';
    if (value === this.last) return;
    this.last = value;
    background(vscode.commands.executeCommand('setContext', VERB_STATE_KEY, value), this.features.log);
  }

  dispose(): void {
    this.offSession?.();
    for (const off of this.offManager) off();
  }

  private follow(): void {
    this.offSession?.();
    const entry = this.features.manager.active;
    // IDLE starts and ends without a state change: completions and continuations move the key.
    this.offSession = entry?.session.events.on('protocol', (e) => {
      if (e.type === 'completed' || e.type === 'continuation' || e.type === 'state') this.refresh();
    });
    this.refresh();
  }
}
