// Runs a session script from an editor document: the whole script, up to a line ("Run to here")
// or one command ("Run line"). Live transcripts open beside the script, `{{$secret NAME}}` values
// come from the secret storage, and results go to the Problems view, the inline marks and the log.
// Workspace scripts run only in a trusted workspace (checked here, not only by the manifest).
import * as vscode from './api.js';
import type { InlineResult } from '../language/diagnostics.js';
import type { Script } from '../script/ast.js';
import type { ScriptResult, StepResult } from '../script/result.js';
import type { Features } from './features.js';
import { editorSecretProvider } from './script-secrets.js';
import type { ScriptResults } from './script-results.js';
import type { SessionEntry } from './session-manager.js';
import { errorText, notify } from './ui.js';

export type RunMode = { readonly kind: 'all' } | { readonly kind: 'to' | 'line'; readonly line: number };

export interface ScriptRunContext {
  readonly features: Features;
  readonly results: ScriptResults;
}

function secretsFor(features: Features) {
  return editorSecretProvider(
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
}

async function openBeside(features: Features, entry: SessionEntry): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(features.documents.uriFor(entry));
  const shown =
    doc.languageId === 'mailwire-transcript'
      ? doc
      : await vscode.languages.setTextDocumentLanguage(doc, 'mailwire-transcript');
  await vscode.window.showTextDocument(shown, {
    viewColumn: vscode.ViewColumn.Beside,
    preserveFocus: true,
    preview: false,
  });
}

/** Inline marks from the steps reported so far. */
function progressMarks(steps: readonly StepResult[]): InlineResult[] {
  return steps.flatMap((s) =>
    s.expectations.map((e) => ({
      line: e.line,
      status: e.status,
      text:
        e.status === 'passed'
          ? 'passed'
          : `${e.status}${e.message ? `: ${e.message.split('\n')[0] ?? ''}` : ''}`,
    })),
  );
}

/**
 * Runs `doc` (or part of it); undefined when it did not run (untrusted workspace, syntax errors,
 * nothing at the line). Never throws for script problems: they are in the result.
 */
export async function runScriptDocument(
  ctx: ScriptRunContext,
  doc: vscode.TextDocument,
  mode: RunMode,
  options: { readonly quiet?: boolean } = {},
): Promise<ScriptResult | undefined> {
  const { features, results } = ctx;
  if (!vscode.workspace.isTrusted) {
    notify('warn', 'scripts from this workspace run only after you trust it (Manage Workspace Trust).');
    return undefined;
  }
  const [{ parseScript, protocolFromFileName, hasErrors }, { runScript }, { createSessionTarget }, parts] =
    await Promise.all([
      import('../script/parser.js'),
      import('../script/runner.js'),
      import('../session/script-target.js'),
      import('../language/script-parts.js'),
    ]);
  const protocol = protocolFromFileName(doc.fileName);
  const { script, diagnostics } = parseScript(doc.getText(), {
    fileName: doc.fileName,
    ...(protocol ? { defaultProtocol: protocol } : {}),
  });
  results.check(doc);
  if (hasErrors(diagnostics)) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    for (const d of errors) features.log.error(`${doc.fileName}:${d.line}:${d.column}: ${d.message}`);
    const first = errors[0];
    notify(
      'error',
      `the script has ${errors.length} error(s); first at line ${first?.line ?? '?'}: ${first?.message ?? ''} (see Problems)`,
    );
    return undefined;
  }
  let toRun: Script | undefined = script;
  if (mode.kind === 'to') toRun = parts.scriptToLine(script, mode.line);
  if (mode.kind === 'line') toRun = parts.scriptForLine(script, mode.line);
  if (!toRun || toRun.connections.length === 0) {
    notify(
      'warn',
      `nothing to run at line ${mode.kind === 'all' ? 1 : mode.line} (put the cursor on a C: line)`,
    );
    return undefined;
  }
  const target = createSessionTarget({
    onSession: (session, settings) => {
      const entry = features.manager.add(session, {
        host: settings.host,
        port: settings.port,
        user: undefined,
        profileName: undefined,
      });
      openBeside(features, entry).catch((error: unknown) =>
        features.log.error(`opening the transcript: ${errorText(error)}`),
      );
    },
  });
  const steps: StepResult[] = [];
  results.showProgress(doc, []);
  const result = await runScript(toRun, target, {
    secrets: secretsFor(features),
    onStep: (_connection, step) => {
      steps.push(step);
      try {
        results.showProgress(doc, progressMarks(steps));
      } catch (error) {
        features.log.error(`showing progress: ${errorText(error)}`);
      }
    },
  });
  results.showRun(doc, result);
  report(features, doc, result, options.quiet ?? false);
  return result;
}

function report(features: Features, doc: vscode.TextDocument, result: ScriptResult, quiet: boolean): void {
  let passed = 0;
  let failed = 0;
  for (const connection of result.connections)
    for (const step of connection.steps) {
      for (const e of step.expectations) {
        if (e.status === 'passed') passed++;
        else if (e.status === 'failed') {
          failed++;
          features.log.error(`${doc.fileName}:${e.line}: S: ${e.source}: ${e.message ?? ''}`);
        }
      }
      if (step.status === 'error')
        features.log.error(`${doc.fileName}:${step.line}: ${step.title}: ${step.message ?? ''}`);
    }
  if (result.message) features.log.error(`${doc.fileName}: ${result.message}`);
  const summary = `${passed} passed, ${failed} failed (${result.status})`;
  features.log.info(`${doc.fileName}: ${summary}`);
  if (!quiet)
    notify(
      result.status === 'passed' ? 'info' : 'error',
      `${vscode.workspace.asRelativePath(doc.uri)}: ${summary}`,
    );
}
