// Disconnect, Remove from List, Open Transcript, Save Transcript... and Send Line...
import { join } from 'node:path';
import * as vscode from './api.js';
import type { Features } from './features.js';
import { sessionArg } from './features.js';
import { addToHistory, readHistory } from './send-history.js';
import { pickSession } from './session-picker.js';
import { savePaths, transcriptJsonl } from './transcript-files.js';
import { transcriptFileStem } from './transcript-uri.js';
import { notify, finishOnce } from './ui.js';
import { suggestTag } from './send-line-tag.js';
import type { SessionEntry } from './session-manager.js';

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
  // Loaded here, not at activation.
  const { writeFile } = await import('node:fs/promises');
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
  const tagging = session.protocol === 'imap' ? imapTagging(entry) : undefined;
  // Loaded on first use: completion carries the knowledge base, which activation must not load.
  const { sendLineCompletions } = await import('./language-hints.js');
  const complete = (text: string): LineCompletion[] => {
    try {
      return sendLineCompletions(entry, text, tagging?.nextTag()).map((c) => ({
        line: text.slice(0, c.replaceStart) + c.insertText,
        ...(c.detail ? { detail: c.detail } : {}),
      }));
    } catch (error) {
      features.log.warn(`Send Line completion: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  };
  const line = await askLine(entry.label.title, history, tagging, complete);
  if (line === undefined) return;
  await state.update(historyKey(session.protocol), addToHistory(history, line));
  const result = await session.sendRaw(line);
  // A server refusal (failed) is in the transcript; local problems need a notification.
  if (result.outcome === 'not-sent' || result.outcome === 'closed' || result.outcome === 'timeout') {
    features.log.warn(`${entry.label.title}: ${result.outcome}: ${result.text}`);
    notify('warn', `${entry.label.title}: ${result.text}`);
  }
}

/** Send Line tags per session (`L1`, `L2`, ...), apart from the codec's own `A` tags. */
const lineTags = new WeakMap<object, number>();

interface Tagging {
  /** The line with a tag added, or undefined when it is sent as typed. */
  readonly suggest: (line: string) => string | undefined;
  /** Called with the line actually sent, so the next suggestion uses a new tag. */
  readonly used: (line: string) => void;
  readonly nextTag: () => string;
}

/** A completed line offered while typing (verbs valid now, mailboxes, flags, mechanisms). */
interface LineCompletion {
  readonly line: string;
  readonly detail?: string;
}

/** Completions shown at most, so the history stays in reach. */
const MAX_COMPLETIONS = 12;

function imapTagging(entry: SessionEntry): Tagging {
  const { session } = entry;
  const next = () => `L${(lineTags.get(session) ?? 0) + 1}`;
  return {
    nextTag: next,
    suggest: (line) => suggestTag(line, next(), session.waitingForClient).tagged,
    used: (line) => {
      if (line.startsWith(`${next()} `)) lineTags.set(session, (lineTags.get(session) ?? 0) + 1);
    },
  };
}

/**
 * A quick pick that sends exactly what was typed, or a line picked from the history. For IMAP a
 * line that starts with a verb is offered with a tag added first, and as typed second.
 */
function askLine(
  title: string,
  history: readonly string[],
  tagging: Tagging | undefined,
  complete: (text: string) => LineCompletion[],
): Promise<string | undefined> {
  return new Promise<string | undefined>((resolve) => {
    const pick = vscode.window.createQuickPick<
      vscode.QuickPickItem & { line: string; typed?: boolean; completion?: boolean }
    >();
    pick.title = `Mailwire: Send Line to ${title}`;
    pick.placeholder = tagging
      ? 'Type a line (CRLF is added); a command without a tag is offered with one. Up/Down: history'
      : 'Type a line; it is sent exactly as typed (CRLF is added). Up/Down: history';
    pick.ignoreFocusOut = true;
    pick.matchOnDescription = false;
    const historyItems = history.map((line) => ({ label: line, description: 'history', line }));
    pick.items = historyItems;
    const finish = finishOnce(pick, resolve);
    pick.onDidChangeValue((value) => {
      const tagged = value === '' ? undefined : tagging?.suggest(value);
      pick.items =
        value === ''
          ? historyItems
          : [
              ...(tagged
                ? [{ label: tagged, description: 'send with a tag added', line: tagged, alwaysShow: true }]
                : []),
              {
                label: value,
                description: 'send exactly as typed',
                line: value,
                typed: true,
                alwaysShow: true,
              },
              ...completionItems(value),
              ...historyItems,
            ];
    });
    // Picking a completion fills the line instead of sending it: the user goes on typing.
    const completionItems = (value: string) =>
      complete(value)
        .filter((c) => c.line !== value)
        .slice(0, MAX_COMPLETIONS)
        .map((c) => ({
          label: c.line,
          description: c.detail ? `complete: ${c.detail}` : 'complete',
          line: c.line,
          completion: true,
          alwaysShow: true,
        }));
    pick.onDidAccept(() => {
      const selected = pick.selectedItems[0] ?? pick.activeItems[0];
      // The typed item carries the raw value: no trimming, no label rendering.
      if (selected?.typed) finish(pick.value);
      else if (selected?.completion) pick.value = selected.line;
      else if (selected) finish(selected.line);
      else if (pick.value !== '') finish(pick.value);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();
  }).then((line) => {
    if (line !== undefined) tagging?.used(line);
    return line;
  });
}
