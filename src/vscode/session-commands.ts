// Disconnect, Remove from List, Open Transcript, Save Transcript... and Send Line...
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Features } from './features.js';
import { sessionArg } from './features.js';
import { addToHistory, readHistory } from './send-history.js';
import { pickSession } from './session-picker.js';
import { savePaths, transcriptJsonl } from './transcript-files.js';
import { transcriptFileStem } from './transcript-uri.js';
import { notify } from './ui.js';

export async function disconnect(features: Features, arg: unknown): Promise<void> {
  const entry = await pickSession(features, arg, 'disconnect');
  if (!entry) return;
  features.manager.disconnect(entry.id);
  features.log.info(`${entry.label.title}: disconnected by the user`);
}

export function removeSession(features: Features, arg: unknown): void {
  const entry = sessionArg(features, arg) ?? features.manager.active;
  if (entry) features.manager.remove(entry.id);
}

export async function openTranscript(features: Features, arg: unknown): Promise<void> {
  const entry = await pickSession(features, arg, 'openTranscript');
  if (!entry) return;
  features.manager.setActive(entry.id);
  await features.documents.open(entry);
}

export async function saveTranscript(features: Features, arg: unknown): Promise<void> {
  const entry = await pickSession(features, arg, 'saveTranscript');
  if (!entry) return;
  const { transcript } = entry.session;
  const stem = transcriptFileStem(
    entry.session.protocol,
    entry.meta.host,
    entry.meta.port,
    transcript.started,
  );
  const folder =
    vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(features.context.globalStorageUri.fsPath);
  const chosen = await vscode.window.showSaveDialog({
    title: 'Mailwire: Save Transcript',
    defaultUri: vscode.Uri.joinPath(folder, `${stem}.txt`),
    filters: { 'Transcript text': ['txt'] },
    saveLabel: 'Save (text and JSON Lines)',
  });
  if (!chosen) return;
  if (chosen.scheme !== 'file') {
    notify('error', `can only save to local files, not ${chosen.scheme}: URIs`);
    return;
  }
  const paths = savePaths(chosen.fsPath);
  const timestamps =
    vscode.workspace.getConfiguration('mailwire').get<boolean>('transcript.timestamps') ?? true;
  // Both texts come from the transcript, which never holds secrets (redacted when recorded).
  await writeFile(paths.text, transcript.render({ timestamps }), { mode: 0o600 });
  await writeFile(paths.jsonl, transcriptJsonl(transcript), { mode: 0o600 });
  features.log.info(`saved ${entry.label.title} to ${paths.text} and ${paths.jsonl}`);
  const hasPayloads = transcript.events.some((e) => e.dir !== 'L' && e.payloads?.length);
  notify(
    'info',
    `saved the transcript to ${join(paths.text)}${hasPayloads ? ' (large literals and bodies are summarized, not included)' : ''}`,
  );
}

const historyKey = (protocol: string) => `mailwire.sendHistory.${protocol}`;

export async function sendLine(features: Features, arg: unknown): Promise<void> {
  const entry = await pickSession(features, arg, 'sendLine');
  if (!entry) return;
  const { session } = entry;
  const state = features.context.workspaceState;
  const history = readHistory(state.get<unknown>(historyKey(session.protocol)));
  const line = await askLine(entry.label.title, history);
  if (line === undefined) return;
  await state.update(historyKey(session.protocol), addToHistory(history, line));
  const result = await session.sendRaw(line);
  // A server refusal (failed) is in the transcript; local problems need a notification.
  if (result.outcome === 'not-sent' || result.outcome === 'closed' || result.outcome === 'timeout') {
    features.log.warn(`${entry.label.title}: ${result.outcome}: ${result.text}`);
    notify('warn', `${entry.label.title}: ${result.text}`);
  }
}

/** A quick pick that sends exactly what was typed, or a line picked from the history. */
function askLine(title: string, history: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { line: string; typed?: boolean }>();
    pick.title = `Mailwire: Send Line to ${title}`;
    pick.placeholder = 'Type a line; it is sent exactly as typed (CRLF is added). Up/Down: history';
    pick.ignoreFocusOut = true;
    pick.matchOnDescription = false;
    const historyItems = history.map((line) => ({ label: line, description: 'history', line }));
    pick.items = historyItems;
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      pick.dispose();
    };
    pick.onDidChangeValue((value) => {
      pick.items =
        value === ''
          ? historyItems
          : [
              { label: value, description: 'send', line: value, typed: true, alwaysShow: true },
              ...historyItems,
            ];
    });
    pick.onDidAccept(() => {
      const selected = pick.selectedItems[0] ?? pick.activeItems[0];
      // The typed item carries the raw value: no trimming, no label rendering.
      if (selected?.typed) finish(pick.value);
      else if (selected) finish(selected.line);
      else if (pick.value !== '') finish(pick.value);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}
