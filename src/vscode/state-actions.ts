// Turns a message from the state webview into the palette verb command it stands for. Plain module
// (no vscode import) so the checks run in plain tests: a webview message is untrusted input.
import { ACTION_ARGS, type ActionMessage, type FromWebview, type ViewAction } from '../shared/messages.js';

export interface VerbInvocation {
  /** e.g. `mailwire.imap.select`. */
  readonly command: string;
  readonly args: { readonly sessionId: string; readonly args: Readonly<Record<string, string>> };
}

/** Longest argument value accepted from the view (a mailbox name, a sequence set, a flag list). */
const MAX_ARG = 4096;

/** Reads a webview message; undefined (with the reason) when it is not one we know. */
export function readFromWebview(value: unknown): { message: FromWebview } | { error: string } {
  if (typeof value !== 'object' || value === null) return { error: 'not an object' };
  const v = value as Record<string, unknown>;
  if (v.type === 'ready') return { message: { type: 'ready' } };
  if (v.type !== 'action') return { error: `unknown message type ${JSON.stringify(v.type)}` };
  if (typeof v.requestId !== 'number' || !Number.isSafeInteger(v.requestId))
    return { error: 'bad requestId' };
  const action = readAction(v.action);
  if ('error' in action) return action;
  const message: ActionMessage = { type: 'action', requestId: v.requestId, action: action.action };
  return { message };
}

function readAction(value: unknown): { action: ViewAction } | { error: string } {
  if (typeof value !== 'object' || value === null) return { error: 'action is not an object' };
  const v = value as Record<string, unknown>;
  const kind = v.kind;
  if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(ACTION_ARGS, kind))
    return { error: `unknown action ${JSON.stringify(kind)}` };
  const names = ACTION_ARGS[kind as ViewAction['kind']];
  const out: Record<string, string> = { kind };
  for (const name of names) {
    const arg = v[name];
    if (typeof arg !== 'string') return { error: `${kind}: ${name} must be a string` };
    if (arg.length > MAX_ARG) return { error: `${kind}: ${name} is longer than ${MAX_ARG} characters` };
    // Arguments become parts of one command line: a line break would smuggle in a second command.
    if (/[\r\n\0]/.test(arg)) return { error: `${kind}: ${name} contains a line break or NUL` };
    out[name] = arg;
  }
  if (kind === 'imap.storeFlags' && !['+FLAGS', '-FLAGS', 'FLAGS'].includes(out.operation ?? ''))
    return { error: 'imap.storeFlags: operation must be +FLAGS, -FLAGS or FLAGS' };
  if ('uid' in out && out.uid !== 'true' && out.uid !== 'false')
    return { error: `${kind}: uid must be "true" or "false"` };
  return { action: out as unknown as ViewAction };
}

/** The verb command and its arguments for an action on a session. */
export function invocationFor(sessionId: string, action: ViewAction): VerbInvocation {
  const args: Record<string, string> = {};
  const record = action as unknown as Record<string, string>;
  for (const name of ACTION_ARGS[action.kind]) args[name] = record[name] ?? '';
  return { command: `mailwire.${action.kind}`, args: { sessionId, args } };
}
