// Commands valid in any state, and authentication: CAPABILITY, NOOP, CHECK, LOGOUT, ID, ENABLE,
// NAMESPACE, STARTTLS, LOGIN, AUTHENTICATE, IDLE.

import { Buffer } from 'node:buffer';
import {
  ANY,
  AUTHENTICATED,
  NOT_AUTHENTICATED,
  SELECTED,
  bad,
  no,
  ok,
  type CommandSpec,
  type Result,
  type SessionContext,
} from '../context.js';
import { quote } from '../format.js';
import { argText, expectCount, type Arg } from '../parser.js';

function capability(ctx: SessionContext): Result {
  ctx.untagged(`CAPABILITY ${ctx.capabilities().join(' ')}`);
  return ok('CAPABILITY completed');
}

function noop(_ctx: SessionContext): Result {
  // Pending updates go out before the tagged reply (the session does that for every command).
  return ok('NOOP completed');
}

function logout(ctx: SessionContext): Result {
  ctx.untagged('BYE Mailwire sandbox logging out');
  ctx.state = 'logout';
  return { ...ok('LOGOUT completed'), after: () => ctx.close() };
}

function id(ctx: SessionContext, args: readonly Arg[]): Result {
  expectCount(args, 1, 1, 'ID NIL | ID ("name" "value" ...)');
  const arg = args[0]!;
  if (!(arg.kind === 'atom' && arg.value.toUpperCase() === 'NIL') && arg.kind !== 'list') {
    return bad('ID takes NIL or a parenthesized list of name/value pairs');
  }
  ctx.untagged(`ID (${quote('name')} ${quote('Mailwire sandbox')} ${quote('vendor')} ${quote('Mailwire')})`);
  return ok('ID completed');
}

function enable(ctx: SessionContext, args: readonly Arg[]): Result {
  if (args.length === 0) return bad('ENABLE needs at least one capability name');
  // None of our capabilities needs enabling (no CONDSTORE, no UTF8=ACCEPT): RFC 5161 says the
  // server lists only what it enabled, so the list is empty.
  ctx.untagged('ENABLED');
  return ok('ENABLE completed');
}

function namespace(ctx: SessionContext): Result {
  ctx.untagged('NAMESPACE (("" "/")) NIL NIL');
  return ok('NAMESPACE completed');
}

function starttls(ctx: SessionContext, args: readonly Arg[]): Result {
  expectCount(args, 0, 0, 'STARTTLS');
  if (!ctx.options.tls || ctx.options.implicitTls) return bad('STARTTLS is not available on this port');
  if (ctx.secure) return bad('the connection is already encrypted');
  return { ...ok('Begin TLS negotiation now'), after: () => ctx.startTls() };
}

function loginAllowed(ctx: SessionContext): Result | undefined {
  // Plaintext passwords are fine on loopback; elsewhere insist on TLS when we can offer it.
  if (!ctx.secure && !ctx.loopback && ctx.options.tls) {
    return no('use STARTTLS before sending a password over the network', 'PRIVACYREQUIRED');
  }
  return undefined;
}

function completeLogin(ctx: SessionContext, username: string, password: string, verb: string): Result {
  const user = ctx.store.authenticate(username, password);
  // The same words for unknown users and wrong passwords, and never the password itself.
  if (!user) return no('invalid user name or password', 'AUTHENTICATIONFAILED');
  ctx.user = user;
  ctx.state = 'authenticated';
  return ok(`${verb} completed`, `CAPABILITY ${ctx.capabilities().join(' ')}`);
}

function login(ctx: SessionContext, args: readonly Arg[]): Result {
  expectCount(args, 2, 2, 'LOGIN username password');
  const refused = loginAllowed(ctx);
  if (refused) return refused;
  return completeLogin(ctx, argText(args[0], 'user name'), argText(args[1], 'password'), 'LOGIN');
}

async function authenticate(ctx: SessionContext, args: readonly Arg[]): Promise<Result> {
  expectCount(args, 1, 2, 'AUTHENTICATE PLAIN [initial-response]');
  const mechanism = argText(args[0], 'SASL mechanism').toUpperCase();
  if (mechanism !== 'PLAIN') return no(`SASL mechanism ${mechanism} is not supported; use PLAIN`, 'CANNOT');
  const refused = loginAllowed(ctx);
  if (refused) return refused;
  let response = args[1] ? argText(args[1], 'initial response') : undefined;
  if (response === undefined) {
    ctx.continuation('');
    const line = await ctx.nextLine();
    if (line === null) return bad('connection closed during AUTHENTICATE');
    response = line;
  }
  if (response.trim() === '*') return bad('AUTHENTICATE cancelled by the client');
  // SASL-IR: "=" is an empty initial response (RFC 4959).
  const text = response === '=' ? '' : response.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
    return bad('the PLAIN response is not valid base64');
  const parts = Buffer.from(text, 'base64').toString('utf8').split('\u0000');
  if (parts.length !== 3) return bad('a PLAIN response is authzid NUL username NUL password');
  const [authzid, username, password] = parts as [string, string, string];
  if (authzid !== '' && authzid !== username)
    return no('acting as another user is not supported', 'AUTHORIZATIONFAILED');
  return completeLogin(ctx, username, password, 'AUTHENTICATE');
}

async function idle(ctx: SessionContext, args: readonly Arg[]): Promise<Result> {
  expectCount(args, 0, 0, 'IDLE');
  ctx.continuation('idling');
  ctx.flushUpdates(true);
  ctx.setIdling(true);
  try {
    const line = await ctx.nextLine();
    if (line === null) return bad('connection closed during IDLE');
    if (line.trim().toUpperCase() !== 'DONE')
      return bad(`expected DONE to end IDLE, got ${JSON.stringify(line.slice(0, 40))}`);
    return ok('IDLE terminated');
  } finally {
    ctx.setIdling(false);
  }
}

export const connectionCommands: Record<string, CommandSpec> = {
  CAPABILITY: { states: ANY, handler: capability, expungeSafe: true },
  NOOP: { states: ANY, handler: noop, expungeSafe: true },
  CHECK: { states: SELECTED, handler: () => ok('CHECK completed'), expungeSafe: true },
  LOGOUT: { states: ANY, handler: logout, expungeSafe: true },
  ID: { states: ANY, handler: id, expungeSafe: true },
  ENABLE: { states: AUTHENTICATED, handler: enable, expungeSafe: true },
  NAMESPACE: { states: AUTHENTICATED, handler: namespace, expungeSafe: true },
  STARTTLS: { states: NOT_AUTHENTICATED, handler: starttls, expungeSafe: true },
  LOGIN: { states: NOT_AUTHENTICATED, handler: login, expungeSafe: true },
  AUTHENTICATE: { states: NOT_AUTHENTICATED, handler: authenticate, expungeSafe: true },
  IDLE: { states: AUTHENTICATED, handler: idle, expungeSafe: true },
};
