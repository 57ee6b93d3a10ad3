// Results of running a script: per expectation, per step, per connection, per script.
// Every string in a result has secrets replaced by `<redacted>` (the runner guarantees it).

import type { ScriptProtocol } from './ast.js';

/**
 * passed; failed (an expectation did not match); error (could not run: connection, timeout,
 * TLS, unset variable, unreadable file); skipped (an earlier step of the same connection did not pass).
 */
export type Status = 'passed' | 'failed' | 'error' | 'skipped';

export interface ExpectationResult {
  /** Position of the `S:` text in the script. */
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
  /** As written, e.g. `a1 OK` or `/\* (?<count>\d+) EXISTS/`. */
  readonly source: string;
  readonly status: Status;
  /** Why it failed, with the actual lines. */
  readonly message?: string;
}

export type StepKind = 'connect' | 'greeting' | 'command' | 'set';

export interface StepResult {
  readonly kind: StepKind;
  /** Source line: the `@connect` line for connect and greeting, the `C:`/`@set` line otherwise. */
  readonly line: number;
  /** What ran, for names in reports: the expanded command (secrets redacted), `@connect URL`, `greeting`. */
  readonly title: string;
  readonly status: Status;
  readonly durationMs: number;
  /** Every reply line received for this step, in order (continuation and final reply). */
  readonly reply: readonly string[];
  readonly expectations: readonly ExpectationResult[];
  /** Summary of what went wrong. */
  readonly message?: string;
}

export interface ConnectionResult {
  /** The `@connect` line. */
  readonly line: number;
  readonly url: string;
  readonly protocol: ScriptProtocol;
  readonly status: Status;
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
}

export interface ScriptResult {
  readonly fileName: string;
  readonly status: Status;
  readonly durationMs: number;
  readonly connections: readonly ConnectionResult[];
  /** A problem before any connection (a failing `@set` before the first `@connect`). */
  readonly message?: string;
}

/** The worst status wins: error > failed > passed > skipped (all skipped stays skipped). */
export function combineStatus(statuses: readonly Status[]): Status {
  if (statuses.includes('error')) return 'error';
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('passed')) return 'passed';
  return statuses.length === 0 ? 'passed' : 'skipped';
}
