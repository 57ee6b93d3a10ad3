// Problems for a script: syntax errors from the parser and, after a run, failed expectations and
// steps that could not run, each at the line and columns it is about. Also the per-line results
// shown inline (pass/fail next to each `S:` line). Positions here are the parser's: 1-based lines
// and columns, end column exclusive.
import type { ScriptDiagnostic } from '../script/ast.js';
import { parseScript, protocolFromFileName } from '../script/parser.js';
import type { ScriptResult, Status } from '../script/result.js';

export interface Problem {
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** `syntax` (parser) or `run` (a failed expectation or step). */
  readonly source: 'syntax' | 'run';
}

/** Parser diagnostics for a script's text. */
export function syntaxProblems(text: string, fileName: string): Problem[] {
  const protocol = protocolFromFileName(fileName);
  const { diagnostics } = parseScript(text, { fileName, ...(protocol ? { defaultProtocol: protocol } : {}) });
  return diagnostics.map((d: ScriptDiagnostic) => ({
    line: d.line,
    column: d.column,
    endColumn: d.endColumn,
    severity: d.severity,
    message: d.message,
    source: 'syntax' as const,
  }));
}

/** The length of a source line, for problems about a whole line. */
type LineLength = (line: number) => number;

/** Failed expectations and errored steps of a run. Messages are already redacted by the runner. */
export function runProblems(result: ScriptResult, lineLength: LineLength): Problem[] {
  const out: Problem[] = [];
  const whole = (line: number, message: string): Problem => ({
    line,
    column: 1,
    endColumn: Math.max(lineLength(line) + 1, 2),
    severity: 'error',
    message,
    source: 'run',
  });
  if (result.message) out.push(whole(1, result.message));
  for (const connection of result.connections) {
    for (const step of connection.steps) {
      for (const e of step.expectations) {
        if (e.status !== 'failed' && e.status !== 'error') continue;
        out.push({
          line: e.line,
          column: e.column,
          endColumn: e.endColumn,
          severity: 'error',
          message: `expectation failed: S: ${e.source}${e.message ? `: ${e.message}` : ''}`,
          source: 'run',
        });
      }
      if (
        step.status === 'error' ||
        (step.status === 'failed' && !step.expectations.some((e) => e.status === 'failed'))
      )
        out.push(whole(step.line, `${step.title}: ${step.message ?? step.status}`));
    }
  }
  return out;
}

export interface InlineResult {
  /** 1-based line of the `S:` (or `C:`/`@connect`) line. */
  readonly line: number;
  readonly status: Status;
  /** Short text shown after the line: `✓ passed` or `✗ got "a1 NO ..."`. */
  readonly text: string;
}

/** One result per expectation line, plus errored steps, for inline decorations. */
export function inlineResults(result: ScriptResult): InlineResult[] {
  const out = new Map<number, InlineResult>();
  for (const connection of result.connections)
    for (const step of connection.steps) {
      for (const e of step.expectations) {
        const text =
          e.status === 'passed'
            ? 'passed'
            : e.status === 'skipped'
              ? 'skipped'
              : `${e.status}${e.message ? `: ${firstLine(e.message)}` : ''}`;
        out.set(e.line, { line: e.line, status: e.status, text });
      }
      if (step.status === 'error' && !out.has(step.line))
        out.set(step.line, {
          line: step.line,
          status: 'error',
          text: `error: ${firstLine(step.message ?? '')}`,
        });
    }
  return [...out.values()].sort((a, b) => a.line - b.line);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
