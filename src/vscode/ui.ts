// Shared plumbing for the vscode side: the output channel and a wrapper that keeps every command
// and event handler from throwing or leaving a promise unobserved.
import * as vscode from './api.js';

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLog(channel: vscode.LogOutputChannel): Log {
  return {
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Wraps a command handler: errors become an error notification and a log line, never an
 * exception in the extension host. The message never includes arguments (they may hold input).
 */
export function guarded<A extends unknown[]>(
  log: Log,
  what: string,
  handler: (...args: A) => Promise<void> | void,
): (...args: A) => void {
  return (...args: A) => {
    const fail = (error: unknown) => {
      const message = `${what} failed: ${errorText(error)}`;
      log.error(message);
      background(vscode.window.showErrorMessage(`Mailwire: ${message}`));
    };
    try {
      const result = handler(...args);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

/** Shows a notification without waiting for it (the user may ignore it for minutes). */
export function notify(kind: 'info' | 'warn' | 'error', message: string): void {
  const show =
    kind === 'info'
      ? vscode.window.showInformationMessage
      : kind === 'warn'
        ? vscode.window.showWarningMessage
        : vscode.window.showErrorMessage;
  background(show(`Mailwire: ${message}`));
}

/** Starts a thenable without awaiting it; a rejection is logged, never left unobserved. */
export function background(thenable: Thenable<unknown>, log?: Log): void {
  Promise.resolve(thenable).catch((error: unknown) => log?.error(errorText(error)));
}

/**
 * The one way a quick pick's answer comes back: the first of accept and hide resolves, and the
 * pick is disposed (hiding follows dispose, and must not answer again).
 */
export function finishOnce<T>(
  pick: { dispose(): void },
  resolve: (value: T | undefined) => void,
): (value: T | undefined) => void {
  let done = false;
  return (value) => {
    if (done) return;
    done = true;
    resolve(value);
    pick.dispose();
  };
}
