// Logging in right after Connect with the user and password the user gave: the first thing
// almost every session does, done with the same verbs as the palette so the transcript shows it.
import { SUPPORTED_MECHANISMS } from '../protocol/sasl/index.js';
import { runTyped } from '../session/open.js';
import type { CommandResult } from '../session/session.js';
import { verbById } from './catalog.js';
import { advertised, advertisedMechanisms, imapOf, smtpOf } from './session-view.js';
import { NO_HINTS, type VerbOutcome, type VerbSession } from './types.js';

export interface LoginOutcome {
  readonly ok: boolean;
  /** What happened, for a notification: the server's refusal or why nothing was tried. */
  readonly text: string;
  /** How the login was done, e.g. `LOGIN`, `AUTHENTICATE PLAIN`, `USER/PASS`, `AUTH PLAIN`. */
  readonly method: string | undefined;
}

/** Mechanisms that work with a password, strongest first. */
const PASSWORD_MECHANISMS = SUPPORTED_MECHANISMS.filter((m) => m !== 'XOAUTH2' && m !== 'OAUTHBEARER');

export async function autoLogin(
  session: VerbSession,
  user: string,
  password: string,
  clientName: string,
): Promise<LoginOutcome> {
  session.addSecrets([password]);
  const run = async (id: string, args: Record<string, string>): Promise<VerbOutcome> => {
    const spec = verbById(id);
    if (!spec) throw new Error(`no verb ${id}`);
    return spec.run({
      session,
      args: { user, secret: password, ...args },
      files: {},
      hints: NO_HINTS,
      clientName,
    });
  };
  const report = (method: string, result: CommandResult): LoginOutcome => ({
    ok: result.outcome === 'ok',
    text: result.outcome === 'ok' ? `logged in as ${user} (${method})` : `${method} failed: ${result.text}`,
    method,
  });

  if (session.status !== 'open') return { ok: false, text: 'the session is not open', method: undefined };
  switch (session.protocol) {
    case 'imap': {
      const imap = imapOf(session);
      if (session.state !== 'not-authenticated') {
        return {
          ok: session.state !== 'logout',
          text: `no login needed: the session is ${session.state}`,
          method: undefined,
        };
      }
      // The greeting usually carries CAPABILITY; ask when it did not, to see LOGINDISABLED.
      if (imap && imap.capabilities.size === 0) await runTyped(session, imap, (c) => c.command('CAPABILITY'));
      const caps = advertised(session);
      const mechanism = PASSWORD_MECHANISMS.find((m) => caps?.has(`AUTH=${m}`));
      if (caps?.has('LOGINDISABLED') && mechanism) {
        return report(`AUTHENTICATE ${mechanism}`, (await run('imap.authenticate', { mechanism })).result);
      }
      return report('LOGIN', (await run('imap.login', {})).result);
    }
    case 'pop3': {
      if (session.state !== 'authorization')
        return { ok: false, text: `cannot log in: the session is ${session.state}`, method: undefined };
      return report('USER/PASS', (await run('pop3.userPass', {})).result);
    }
    case 'smtp': {
      const smtp = smtpOf(session);
      if (session.state === 'greeted') {
        const ehlo = await runTyped(session, smtp, (c) => c.ehlo(clientName));
        if (ehlo.outcome !== 'ok') return report('EHLO', ehlo);
      }
      const offered = advertisedMechanisms(session);
      if (offered.length === 0) {
        return {
          ok: false,
          text: 'the server did not advertise AUTH here (many offer it only after STARTTLS, or only on port 587); not logged in',
          method: undefined,
        };
      }
      const mechanism = PASSWORD_MECHANISMS.find((m) => offered.includes(m));
      if (!mechanism) {
        return {
          ok: false,
          text: `none of the offered mechanisms (${offered.join(', ')}) works with a password`,
          method: undefined,
        };
      }
      return report(`AUTH ${mechanism}`, (await run('smtp.auth', { mechanism })).result);
    }
  }
}
