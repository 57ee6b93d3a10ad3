// Registers the script and transcript language features: hovers, completion, problems, inline
// results, CodeLens, the Test Explorer and their commands. Called once from register.ts.
import * as vscode from './api.js';
import type { Features } from './features.js';
import {
  EXPLAIN_SCHEME,
  explainCurrentLine,
  explanations,
  MailwireHovers,
  saveTranscriptAsScript,
  ScriptCompletions,
} from './language-providers.js';
import { ScriptCodeLens } from './script-codelens.js';
import { openExampleScript, runActiveScript, runScriptPart } from './script-commands.js';
import { SCRIPT_LANGUAGES } from './script-languages.js';
import { ScriptResults } from './script-results.js';
import { runScriptDocument, type ScriptRunContext } from './script-run.js';
import { ScriptTests } from './tests-controller.js';
import { guarded } from './ui.js';

export function registerLanguageFeatures(features: Features): vscode.Disposable[] {
  const { log } = features;
  const results = new ScriptResults(log);
  const ctx: ScriptRunContext = { features, results };
  const scripts: vscode.DocumentSelector = SCRIPT_LANGUAGES.map((language) => ({ language }));
  const transcripts: vscode.DocumentSelector = [{ language: 'mailwire-transcript' }];
  const tests = new ScriptTests(log, (doc) => runScriptDocument(ctx, doc, { kind: 'all' }, { quiet: true }));
  const command = (id: string, what: string, handler: (...args: unknown[]) => Promise<void> | void) =>
    vscode.commands.registerCommand(id, guarded(log, what, handler));
  return [
    results,
    tests,
    vscode.languages.registerHoverProvider([...scripts, ...transcripts], new MailwireHovers(features)),
    vscode.languages.registerCompletionItemProvider(
      scripts,
      new ScriptCompletions(features),
      ' ',
      '@',
      '{',
      '\\',
      '(',
    ),
    vscode.languages.registerCodeLensProvider(scripts, new ScriptCodeLens()),
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, explanations),
    command('mailwire.runScript', 'Run Script', (uri) => runActiveScript(ctx, uri)),
    command('mailwire.runScriptToLine', 'Run to Here', (uri, line) => runScriptPart(ctx, 'to', uri, line)),
    command('mailwire.runScriptLine', 'Run Line', (uri, line) => runScriptPart(ctx, 'line', uri, line)),
    command('mailwire.openExampleScript', 'Open Example Script', (name) =>
      openExampleScript(features.context.extensionUri, name),
    ),
    command('mailwire.explainLine', 'Explain Line', () => explainCurrentLine(features)),
    command('mailwire.saveTranscriptAsScript', 'Save Transcript as Script', (arg) =>
      saveTranscriptAsScript(features, arg),
    ),
  ];
}
