// "Mailwire: Run Script": runs the active session script (.imap, .pop3, .smtp, .mailwire) with
// live transcripts in the Sessions view, `{{$secret NAME}}` from the secret storage, and the
// result in the output channel and a notification. Workspace files only run in a trusted
// workspace (checked here too, not only by the manifest).
import * as vscode from 'vscode';
import type { Features } from './features.js';
import { editorSecretProvider } from './script-secrets.js';
import { notify } from './ui.js';

const SCRIPT_FILE = /\.(imap|pop3|smtp|mailwire)$/i;

export async function runActiveScript(features: Features): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    notify('warn', 'scripts from this workspace run only after you trust it (Manage Workspace Trust).');
    return;
  }
  const document = vscode.window.activeTextEditor?.document;
  if (!document || !SCRIPT_FILE.test(document.fileName)) {
    notify('warn', 'open a session script (.imap, .pop3, .smtp or .mailwire) to run it.');
    return;
  }
  const [{ parseScript, protocolFromFileName, hasErrors }, { runScript }, { createSessionTarget }] =
    await Promise.all([
      import('../script/parser.js'),
      import('../script/runner.js'),
      import('../session/script-target.js'),
    ]);
  const protocol = protocolFromFileName(document.fileName);
  const { script, diagnostics } = parseScript(document.getText(), {
    fileName: document.fileName,
    ...(protocol ? { defaultProtocol: protocol } : {}),
  });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (hasErrors(diagnostics)) {
    for (const d of errors) features.log.error(`${document.fileName}:${d.line}:${d.column}: ${d.message}`);
    const first = errors[0];
    notify(
      'error',
      `the script has ${errors.length} error(s); first at line ${first?.line ?? '?'}: ${first?.message ?? ''}`,
    );
    return;
  }
  const secrets = editorSecretProvider(
    features.credentials,
    (name) => ({
      askPassword: () =>
        Promise.resolve(
          vscode.window.showInputBox({
            title: `Mailwire: value for {{$secret ${name}}}`,
            prompt: 'Used by the script; kept in the secret storage only if you choose to save it',
            password: true,
            ignoreFocusOut: true,
          }),
        ),
      askRemember: async () =>
        (await vscode.window.showInformationMessage(
          `Save {{$secret ${name}}} in the secret storage?`,
          { modal: true },
          'Save',
        )) === 'Save',
    }),
    (message) => features.log.warn(message),
  );
  const target = createSessionTarget({
    onSession: (session, settings) => {
      const entry = features.manager.add(session, {
        host: settings.host,
        port: settings.port,
        user: undefined,
        profileName: undefined,
      });
      void features.documents.open(entry).catch((error: unknown) => features.log.error(String(error)));
    },
  });
  const result = await runScript(script, target, { secrets });
  let passed = 0;
  let failed = 0;
  for (const connection of result.connections) {
    for (const step of connection.steps) {
      for (const e of step.expectations) {
        if (e.status === 'passed') passed++;
        else if (e.status === 'failed') {
          failed++;
          features.log.error(`line ${e.line}: S: ${e.source}: ${e.message ?? ''}`);
        }
      }
      if (step.status === 'error')
        features.log.error(`line ${step.line}: ${step.title}: ${step.message ?? ''}`);
    }
  }
  const summary = `${passed} passed, ${failed} failed (${result.status})`;
  features.log.info(`${document.fileName}: ${summary}`);
  notify(
    result.status === 'passed' ? 'info' : 'error',
    `${vscode.workspace.asRelativePath(document.uri)}: ${summary}`,
  );
}
