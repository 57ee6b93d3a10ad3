// Parts of a parsed script for the editor: the tests the Test Explorer lists (one per `@connect`
// block, one per expectation inside it), and the reduced scripts behind "Run to here" and
// "Run line". Works on the parser's tree, so it never re-reads the text.
import type { CommandStep, Connection, Expectation, Script, Step } from '../script/ast.js';
import type { ScriptResult, Status } from '../script/result.js';

export interface ScriptTestItem {
  /** Stable within a file: `connect:<line>` or `expect:<line>`. */
  readonly id: string;
  readonly label: string;
  /** 1-based. */
  readonly line: number;
  readonly endLine: number;
  readonly children: readonly ScriptTestItem[];
}

function expectationsOf(step: Step): readonly Expectation[] {
  if (step.kind !== 'command') return [];
  return [...step.expectations, ...(step.payload?.expectations ?? [])];
}

function lastLineOf(connection: Connection): number {
  let last = connection.span.line;
  for (const e of connection.greeting) last = Math.max(last, e.span.line);
  for (const s of connection.steps) {
    last = Math.max(last, s.span.line);
    for (const e of expectationsOf(s)) last = Math.max(last, e.span.line);
    if (s.kind === 'command' && s.payload?.body.kind === 'inline')
      last = Math.max(last, s.payload.body.endLine);
  }
  return last;
}

/** The Test Explorer tree of a script: connections, each with its expectations. */
export function scriptTestItems(script: Script): ScriptTestItem[] {
  return script.connections.map((connection) => {
    const children: ScriptTestItem[] = [];
    const add = (e: Expectation, after: string) =>
      children.push({
        id: `expect:${e.span.line}`,
        label: `S: ${e.source}${after ? `  (${after})` : ''}`,
        line: e.span.line,
        endLine: e.span.line,
        children: [],
      });
    for (const e of connection.greeting) add(e, 'greeting');
    for (const s of connection.steps)
      if (s.kind === 'command')
        for (const e of expectationsOf(s))
          add(e, s.source.length > 40 ? `${s.source.slice(0, 39)}…` : s.source);
    return {
      id: `connect:${connection.span.line}`,
      label: `@connect ${connection.urlSource}`,
      line: connection.span.line,
      endLine: lastLineOf(connection),
      children,
    };
  });
}

/** The status of each test item after a run (ids as in `scriptTestItems`). */
export function testStatuses(
  result: ScriptResult,
): Map<string, { status: Status; message?: string; line: number }> {
  const out = new Map<string, { status: Status; message?: string; line: number }>();
  for (const connection of result.connections) {
    const failing = connection.steps.find((s) => s.status === 'failed' || s.status === 'error');
    out.set(`connect:${connection.line}`, {
      status: connection.status,
      line: failing?.line ?? connection.line,
      ...(failing?.message ? { message: failing.message } : {}),
    });
    for (const step of connection.steps)
      for (const e of step.expectations)
        out.set(`expect:${e.line}`, {
          status: e.status,
          line: e.line,
          ...(e.message ? { message: e.message } : {}),
        });
  }
  return out;
}

/** 1-based line a step starts on, and the last line it covers (expectations, payload block). */
function stepLines(step: Step): { first: number; last: number } {
  let last = step.span.line;
  for (const e of expectationsOf(step)) last = Math.max(last, e.span.line);
  if (step.kind === 'command' && step.payload?.body.kind === 'inline')
    last = Math.max(last, step.payload.body.endLine);
  return { first: step.span.line, last };
}

/**
 * "Run to here": the script up to and including the step on (or before) `line`: earlier blocks
 * whole, the block holding `line` up to that step (its expectations included), nothing after.
 */
export function scriptToLine(script: Script, line: number): Script {
  const connections: Connection[] = [];
  for (const connection of script.connections) {
    if (connection.span.line > line) break;
    const steps = connection.steps.filter((s) => stepLines(s).first <= line);
    connections.push({ ...connection, steps });
  }
  return { ...script, connections };
}

/** The command step covering `line` (its `C:` line, an `S:` line about it, or its payload block). */
export function commandAt(
  script: Script,
  line: number,
): { connection: Connection; step: CommandStep } | undefined {
  for (const connection of script.connections)
    for (const step of connection.steps) {
      if (step.kind !== 'command') continue;
      const { first, last } = stepLines(step);
      if (line >= first && line <= last) return { connection, step };
    }
  return undefined;
}

/**
 * "Run line": the block's `@connect` (with its greeting expectations), the settings and `@set`
 * lines above the command, and that command alone. Commands before it are not sent, so a line
 * that needs a login first is best run with "Run to here".
 */
export function scriptForLine(script: Script, line: number): Script | undefined {
  const found = commandAt(script, line);
  if (!found) return undefined;
  const { connection, step } = found;
  const index = connection.steps.indexOf(step);
  const settings = connection.steps.slice(0, index).filter((s) => s.kind !== 'command');
  // Earlier blocks' `@set` and settings carry over, as when the whole script runs.
  const carried = script.connections
    .slice(0, script.connections.indexOf(connection))
    .flatMap((c) => c.steps.filter((s): s is Exclude<Step, CommandStep> => s.kind !== 'command'));
  return {
    ...script,
    preamble: [...script.preamble, ...carried],
    connections: [{ ...connection, steps: [...settings, step] }],
  };
}
