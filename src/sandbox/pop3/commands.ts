// The POP3 verbs (RFC 1939, 2449 CAPA, 2595 STLS, 5034 AUTH): the state table says where each verb
// is allowed, and each verb has one small handler.
import { Buffer } from 'node:buffer';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SandboxUser } from '../store/types.js';
import { multilineLines, topOf } from './multiline.js';
import { printable } from './printable.js';
import type { Pop3Session } from './session.js';

export type Pop3State = 'AUTHORIZATION' | 'TRANSACTION' | 'UPDATE';

export interface Pop3Command {
  /** States in which the verb is accepted; elsewhere it is answered -ERR. */
  readonly states: readonly Pop3State[];
  run(session: Pop3Session, args: string): void;
  /** AUTH only: the client's answer to a `+ ` continuation. */
  continue?(session: Pop3Session, line: string): void;
}

const AUTHORIZATION: readonly Pop3State[] = ['AUTHORIZATION'];
const TRANSACTION: readonly Pop3State[] = ['TRANSACTION'];
const ANY: readonly Pop3State[] = ['AUTHORIZATION', 'TRANSACTION'];

const AUTH_FAILED = '[AUTH] authentication failed';

function capabilities(s: Pop3Session): string[] {
  const caps = ['TOP', 'USER', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE', 'SASL PLAIN'];
  if (s.state === 'AUTHORIZATION' && s.io.tlsAvailable && !s.io.secure) caps.push('STLS');
  caps.push('IMPLEMENTATION Mailwire-sandbox');
  return caps;
}

function noArgs(s: Pop3Session, verb: string, args: string): boolean {
  if (args.trim() === '') return true;
  s.bad(`${verb} takes no arguments`);
  return false;
}

/** Login shared by PASS, APOP and AUTH: a known user may still find the maildrop locked. */
function loginOrFail(s: Pop3Session, user: SandboxUser | undefined, failure = AUTH_FAILED): void {
  if (!user) {
    s.bad(failure);
    return;
  }
  s.login(user);
}

/**
 * Plaintext passwords are fine on loopback (the point is to see them on the wire), not across a
 * network: a remote client must use STLS or the TLS port first (RFC 2595 section 2.2).
 */
function plaintextAllowed(s: Pop3Session): boolean {
  if (s.io.secure || s.io.loopback) return true;
  s.err('[AUTH] plaintext authentication from another machine needs TLS first (use STLS)');
  return false;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 4616 message `authzid NUL authcid NUL passwd`; an authzid must name the same user. */
function plainUser(s: Pop3Session, base64: string): SandboxUser | undefined {
  const b64 = base64.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return undefined;
  const parts = Buffer.from(b64, 'base64').toString('utf8').split('\0');
  if (parts.length !== 3) return undefined;
  const [authzid = '', authcid = '', password = ''] = parts;
  if (authzid !== '' && authzid !== authcid) return undefined; // no proxy login in the sandbox
  return s.store.authenticate(authcid, password);
}

export const COMMANDS: Readonly<Record<string, Pop3Command>> = {
  CAPA: {
    states: ANY,
    run(s, args) {
      if (noArgs(s, 'CAPA', args))
        s.io.write(
          Buffer.concat([Buffer.from('+OK capability list follows\r\n'), multilineLines(capabilities(s))]),
        );
    },
  },

  STLS: {
    states: AUTHORIZATION,
    run(s, args) {
      if (!noArgs(s, 'STLS', args)) return;
      if (s.io.secure) return s.err('already using TLS');
      if (!s.io.tlsAvailable) return s.err('STLS is not available (the server has no certificate)');
      if (s.pendingUser !== undefined) return s.err('STLS is not allowed after USER');
      s.ok('begin TLS negotiation');
      s.io.startTls();
    },
  },

  USER: {
    states: AUTHORIZATION,
    run(s, args) {
      const name = args.trim();
      if (name === '') return s.bad('USER needs a user name');
      s.pendingUser = name;
      s.ok(`send PASS for ${printable(name)}`);
    },
  },

  PASS: {
    states: AUTHORIZATION,
    run(s, args) {
      const name = s.pendingUser;
      s.pendingUser = undefined;
      if (name === undefined) return s.bad('send USER first');
      if (!plaintextAllowed(s)) return;
      // The whole rest of the line is the password: passwords may contain spaces.
      loginOrFail(s, s.store.authenticate(name, args));
    },
  },

  APOP: {
    states: AUTHORIZATION,
    run(s, args) {
      s.pendingUser = undefined;
      const match = /^(\S+) ([0-9a-fA-F]{32})$/.exec(args.trim());
      if (!match) return s.bad('usage: APOP name digest (32 hex digits)');
      const [, name = '', digest = ''] = match;
      const user = s.store.userByName(name);
      // The digest is MD5(timestamp + password), so it needs the plain password, which the store has.
      const expected = user
        ? createHash('md5')
            .update(s.timestamp + user.password)
            .digest('hex')
        : '';
      loginOrFail(s, user && safeEqual(expected, digest.toLowerCase()) ? user : undefined);
    },
  },

  AUTH: {
    states: AUTHORIZATION,
    run(s, args) {
      s.pendingUser = undefined;
      const [mechanism = '', initial, ...rest] = args.trim().split(/ +/);
      if (mechanism === '') {
        // Not in RFC 5034, but common (Dovecot): list the mechanisms.
        s.io.write(Buffer.concat([Buffer.from('+OK SASL mechanisms follow\r\n'), multilineLines(['PLAIN'])]));
        return;
      }
      if (mechanism.toUpperCase() !== 'PLAIN')
        return s.bad(`unsupported SASL mechanism ${printable(mechanism)}`);
      if (rest.length > 0) return s.bad('usage: AUTH PLAIN [initial-response]');
      if (!plaintextAllowed(s)) return;
      if (initial === undefined) {
        s.awaitingSaslResponse = true;
        s.io.write('+ \r\n');
        return;
      }
      // RFC 5034: `=` is an empty initial response.
      loginOrFail(s, plainUser(s, initial === '=' ? '' : initial));
    },
    continue(s, line) {
      if (line.trim() === '*') return s.err('AUTH cancelled');
      loginOrFail(s, plainUser(s, line));
    },
  },

  STAT: {
    states: TRANSACTION,
    run(s, args) {
      if (!noArgs(s, 'STAT', args)) return;
      const { count, size } = s.totals();
      s.ok(`${count} ${size}`);
    },
  },

  LIST: {
    states: TRANSACTION,
    run(s, args) {
      if (args.trim() !== '') {
        const found = s.entry(args);
        if (found) s.ok(`${found.number} ${found.entry.message.size}`);
        return;
      }
      const lines = s.maildrop.flatMap((e, i) => (e.deleted ? [] : [`${i + 1} ${e.message.size}`]));
      const { count, size } = s.totals();
      s.io.write(
        Buffer.concat([Buffer.from(`+OK ${count} messages (${size} octets)\r\n`), multilineLines(lines)]),
      );
    },
  },

  UIDL: {
    states: TRANSACTION,
    run(s, args) {
      if (args.trim() !== '') {
        const found = s.entry(args);
        if (found) s.ok(`${found.number} ${found.entry.message.uidl}`);
        return;
      }
      const lines = s.maildrop.flatMap((e, i) => (e.deleted ? [] : [`${i + 1} ${e.message.uidl}`]));
      s.io.write(Buffer.concat([Buffer.from('+OK unique-id listing follows\r\n'), multilineLines(lines)]));
    },
  },

  RETR: {
    states: TRANSACTION,
    run(s, args) {
      const found = s.entry(args);
      if (!found) return;
      const { message } = found.entry;
      s.okMultiline(`${message.size} octets`, message.raw);
      s.markSeen(message);
    },
  },

  TOP: {
    states: TRANSACTION,
    run(s, args) {
      const match = /^(\S+) (\d{1,10})$/.exec(args.trim());
      if (!match) return s.bad('usage: TOP msg lines');
      const [, number = '', lines = ''] = match;
      const found = s.entry(number);
      if (!found) return;
      s.okMultiline('top of message follows', topOf(found.entry.message.raw, Number(lines)));
    },
  },

  DELE: {
    states: TRANSACTION,
    run(s, args) {
      const found = s.entry(args);
      if (!found) return;
      found.entry.deleted = true;
      s.ok(`message ${found.number} deleted`);
    },
  },

  RSET: {
    states: TRANSACTION,
    run(s, args) {
      if (!noArgs(s, 'RSET', args)) return;
      for (const e of s.maildrop) e.deleted = false;
      const { count, size } = s.totals();
      s.ok(`maildrop has ${count} messages (${size} octets)`);
    },
  },

  NOOP: {
    states: TRANSACTION,
    run(s, args) {
      if (noArgs(s, 'NOOP', args)) s.ok('nothing to do');
    },
  },

  QUIT: {
    states: ANY,
    run(s) {
      if (s.state === 'TRANSACTION') {
        const { removed, failed } = s.update();
        if (failed) s.err('[SYS/PERM] some deleted messages were not removed');
        else s.ok(`Mailwire sandbox signing off (${removed} message${removed === 1 ? '' : 's'} deleted)`);
      } else {
        s.ok('Mailwire sandbox signing off');
      }
      s.close();
    },
  },
};
