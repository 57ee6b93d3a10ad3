// The palette verbs at work, built from the verb table (src/verbs): each asks for its arguments
// (or takes them from the caller, e.g. the state view), refuses a verb in the wrong state, says
// when the server did not advertise it, and runs it on the session so the transcript shows
// exactly what was sent. Loaded on the first verb command or session (see verb-commands.ts).
import { Buffer } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import * as vscode from './api.js';
import { DEFAULT_CLIENT_NAME } from '../session/open.js';
import { availability, CATEGORY, verbById } from '../verbs/catalog.js';
import { hintsFor } from '../verbs/hints.js';
import { testMessage } from '../verbs/test-message.js';
import type { VerbArg, VerbHints, VerbSpec } from '../verbs/types.js';
import { obtainPassword } from './credentials.js';
import type { Features } from './features.js';
import type { MessageDocuments } from './message-documents.js';
import { credentialKey } from './profiles.js';
import type { SessionEntry } from './session-manager.js';
import { hostPort } from './session-label.js';
import type { VerbCommandArg } from './verb-commands.js';
import { errorText, notify, finishOnce } from './ui.js';

export { verbStateKey } from '../verbs/catalog.js';

/** Runs the palette verb whose command is `commandId` (`mailwire.imap.select`, ...). */
export async function runVerbCommand(
  features: Features,
  messages: MessageDocuments,
  commandId: string,
  arg: unknown,
): Promise<void> {
  const spec = verbById(commandId.replace(/^mailwire\./, ''));
  if (!spec) throw new Error(`${commandId} is not a verb of the verb table`);
  await runVerb(features, messages, spec, arg);
}

async function runVerb(
  features: Features,
  messages: MessageDocuments,
  spec: VerbSpec,
  arg: unknown,
): Promise<void> {
  const label = `${CATEGORY[spec.protocol]}: ${spec.title.replace(/\.\.\.$/, '')}`;
  const entry = await sessionFor(features, spec, arg);
  if (!entry) return;
  const { session } = entry;
  const allowed = availability(spec, session);
  if (!allowed.ok) {
    notify('warn', `${label}: ${allowed.reason}`);
    return;
  }
  const hints = hintsFor(session, entry.state, entry.meta.user);
  const given = isVerbArg(arg) ? (arg.args ?? {}) : {};
  const args: Record<string, string> = {};
  const files: Record<string, Uint8Array> = {};
  for (const a of spec.args) {
    const value = await argumentValue(features, entry, spec, a, { ...given, ...args }, hints, files);
    if (value === undefined) return; // cancelled or refused: nothing was sent
    args[a.name] = value;
  }
  if (allowed.unadvertised) {
    session.transcript.note(allowed.unadvertised, 'info', 'warn');
    notify('warn', `${label}: ${allowed.unadvertised}`);
  }
  const outcome = await spec.run({
    session,
    args,
    files,
    hints,
    clientName: DEFAULT_CLIENT_NAME,
  });
  const { result } = outcome;
  if (result.outcome === 'not-sent' || result.outcome === 'closed' || result.outcome === 'timeout') {
    features.log.warn(`${entry.label.title}: ${label}: ${result.outcome}: ${result.text}`);
    notify(result.outcome === 'not-sent' ? 'warn' : 'error', `${label}: ${result.text}`);
  } else if (result.outcome === 'failed') {
    notify('warn', `${label}: the server refused: ${result.text}`);
  }
  if (outcome.notice) notify(result.outcome === 'ok' ? 'info' : 'warn', `${label}: ${outcome.notice}`);
  if (outcome.message) await messages.open(entry, outcome.message.name, outcome.message.bytes);
}

function isVerbArg(arg: unknown): arg is VerbCommandArg {
  return typeof arg === 'object' && arg !== null && ('sessionId' in arg || 'args' in arg);
}

/** The session named by the caller, the active one if it speaks the protocol, or one picked. */
async function sessionFor(
  features: Features,
  spec: VerbSpec,
  arg: unknown,
): Promise<SessionEntry | undefined> {
  const { manager } = features;
  if (isVerbArg(arg) && arg.sessionId !== undefined) {
    const entry = manager.get(arg.sessionId);
    if (!entry) notify('warn', `there is no session ${arg.sessionId} any more`);
    return entry;
  }
  if (typeof arg === 'object' && arg !== null && 'id' in arg && typeof arg.id === 'string') {
    const entry = manager.get(arg.id);
    if (entry) return entry;
  }
  const active = manager.active;
  if (active && active.session.protocol === spec.protocol && active.session.status !== 'closed')
    return active;
  const candidates = manager
    .list()
    .filter((e) => e.session.protocol === spec.protocol && e.session.status === 'open');
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    notify('info', `no ${CATEGORY[spec.protocol]} session is open; run "Mailwire: Connect..." first`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((entry) => ({ label: entry.label.title, description: entry.label.description, entry })),
    { title: `${CATEGORY[spec.protocol]}: ${spec.title} — which session?`, ignoreFocusOut: true },
  );
  return picked?.entry;
}

/** A given value (validated), else the answer to a prompt; undefined means stop. */
async function argumentValue(
  features: Features,
  entry: SessionEntry,
  spec: VerbSpec,
  arg: VerbArg,
  given: Readonly<Record<string, string>>,
  hints: VerbHints,
  files: Record<string, Uint8Array>,
): Promise<string | undefined> {
  const title = `${CATEGORY[spec.protocol]}: ${spec.title.replace(/\.\.\.$/, '')}`;
  const preset = given[arg.name];
  if (preset !== undefined && arg.kind !== 'file') {
    const problem = preset === '' && arg.optional ? undefined : arg.validate?.(preset);
    if (problem) {
      notify('error', `${title}: ${arg.prompt}: ${problem}`);
      return undefined;
    }
    return preset;
  }
  switch (arg.kind) {
    case 'secret':
      return secretValue(features, entry, title, given.user);
    case 'file':
      return fileValue(features, spec, title, arg, preset, files);
    case 'choice':
      return choiceValue(title, arg, hints);
    case 'text': {
      const value = await vscode.window.showInputBox({
        title,
        prompt: `${arg.prompt}${arg.optional ? ' (optional)' : ''}`,
        value: arg.defaultValue?.(hints) ?? '',
        ...(arg.placeholder ? { placeHolder: arg.placeholder } : {}),
        ignoreFocusOut: true,
        validateInput: (v) => (v === '' && arg.optional ? undefined : arg.validate?.(v)),
      });
      return value;
    }
  }
}

/** The saved password for this connection's user, else asked for (and saved only if agreed). */
async function secretValue(
  features: Features,
  entry: SessionEntry,
  title: string,
  user: string | undefined,
): Promise<string | undefined> {
  const who = user ?? entry.meta.user ?? '';
  const where = hostPort(entry.meta.host, entry.meta.port);
  const result = await obtainPassword(
    features.credentials,
    credentialKey(entry.meta.profileName, who, entry.meta.host),
    {
      askPassword: () =>
        Promise.resolve(
          vscode.window.showInputBox({
            title,
            prompt: `Password or token for ${who}@${where}`,
            password: true,
            ignoreFocusOut: true,
          }),
        ),
      // Asked once at Connect; verbs use what is stored or what is typed now, without saving.
      askRemember: () => Promise.resolve(false),
    },
    (message) => notify('warn', message),
  );
  return result.kind === 'cancelled' ? undefined : result.password;
}

async function choiceValue(title: string, arg: VerbArg, hints: VerbHints): Promise<string | undefined> {
  const fallback = arg.defaultValue?.(hints);
  const choices = [...new Set([...(fallback ? [fallback] : []), ...(arg.choices?.(hints) ?? [])])];
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { value: string; typed?: boolean }>();
    pick.title = title;
    pick.placeholder = `${arg.prompt}${arg.freeText ? ' (pick one or type another)' : ''}`;
    pick.ignoreFocusOut = true;
    const base = choices.map((value) => ({
      label: value === '' ? '(empty)' : value,
      value,
      ...(value === fallback ? { description: 'default' } : {}),
    }));
    pick.items = base;
    const finish = finishOnce(pick, resolve);
    pick.onDidChangeValue((value) => {
      const problem = value === '' ? undefined : arg.validate?.(value);
      if (!arg.freeText || value === '' || choices.includes(value)) pick.items = base;
      else
        pick.items = [
          {
            label: value,
            value,
            description: problem ? `not usable: ${problem}` : 'typed',
            typed: true,
            alwaysShow: true,
          },
          ...base,
        ];
    });
    pick.onDidAccept(() => {
      const selected = pick.selectedItems[0] ?? pick.activeItems[0];
      const value = selected?.typed
        ? pick.value
        : (selected?.value ?? (arg.freeText ? pick.value : undefined));
      if (value === undefined) return;
      const problem = value === '' && arg.optional ? undefined : arg.validate?.(value);
      if (problem) {
        // The quick pick has no validation message in this API version: say it in the list.
        pick.items = [
          { label: value, value, description: `not usable: ${problem}`, typed: true, alwaysShow: true },
          ...base,
        ];
        return;
      }
      finish(value);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}

/**
 * A message body: the active editor's text (line ends made CRLF, as the wire needs), a file's
 * exact bytes, or for SMTP a generated test message.
 */
async function fileValue(
  features: Features,
  spec: VerbSpec,
  title: string,
  arg: VerbArg,
  preset: string | undefined,
  files: Record<string, Uint8Array>,
): Promise<string | undefined> {
  const readPath = async (path: string): Promise<string | undefined> => {
    try {
      files[arg.name] = await readFile(path);
      return path;
    } catch (error) {
      notify('error', `${title}: cannot read ${path}: ${errorText(error)}`);
      return undefined;
    }
  };
  if (preset !== undefined && preset !== '') return readPath(preset);
  const editor = vscode.window.activeTextEditor;
  const usableEditor = editor && !editor.document.uri.scheme.startsWith('mailwire-') ? editor : undefined;
  const items: Array<vscode.QuickPickItem & { choice: 'editor' | 'file' | 'generated' }> = [
    ...(usableEditor
      ? [{ label: 'Active editor', description: usableEditor.document.fileName, choice: 'editor' as const }]
      : []),
    { label: 'Choose a file...', description: 'sent byte for byte', choice: 'file' },
    ...(spec.protocol === 'smtp' || spec.protocol === 'imap'
      ? [
          {
            label: 'A generated test message',
            description: 'From/To/Subject/Date/Message-ID',
            choice: 'generated' as const,
          },
        ]
      : []),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: arg.prompt,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.choice === 'editor' && usableEditor) {
    const text = usableEditor.document.getText().replace(/\r?\n/g, '\r\n');
    files[arg.name] = Buffer.from(text, 'utf8');
    return usableEditor.document.fileName;
  }
  if (picked.choice === 'generated') {
    files[arg.name] = testMessage({
      from: 'alice@example.test',
      to: ['bob@example.test'],
      subject: 'Mailwire test message',
      domain: DEFAULT_CLIENT_NAME,
    });
    return '(generated test message)';
  }
  const chosen = await vscode.window.showOpenDialog({
    title,
    canSelectMany: false,
    openLabel: 'Send',
    filters: { Messages: ['eml', 'txt', 'msg'], 'All files': ['*'] },
  });
  const uri = chosen?.[0];
  if (!uri) return undefined;
  if (uri.scheme !== 'file') {
    notify('error', `${title}: only local files can be sent, not ${uri.scheme}: URIs`);
    return undefined;
  }
  features.log.info(`${title}: sending ${uri.fsPath}`);
  return readPath(uri.fsPath);
}
