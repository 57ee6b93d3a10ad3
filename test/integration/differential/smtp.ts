// SMTP conversations (RFC 5321, RFC 3463, RFC 4954) reduced to reply classes: the first digit of
// each reply, and the enhanced-code class when the server sent one.
import type { CommandResult } from '../../../src/session/session.js';
import { imapCodec, smtpCodec, runTyped } from '../../../src/session/open.js';
import type { UntaggedResponse } from '../../../src/protocol/imap/response.js';
import { createMechanism } from '../../../src/protocol/sasl/index.js';
import type { SmtpReply } from '../../../src/protocol/smtp/reply.js';
import { open, type Target } from './targets.js';

export interface ReplyClass {
  /** First digit of each reply the step received (an intermediate 354 then the final one for DATA). */
  readonly codes: readonly number[];
  /** Enhanced-status classes in the same order; undefined where that reply had none. */
  readonly enhanced: readonly (number | undefined)[];
}

export type SmtpResult = Readonly<Record<string, ReplyClass>>;

function classes(r: CommandResult): ReplyClass {
  const replies = r.events.flatMap((e) =>
    e.type === 'reply' ? [(e as unknown as { reply: SmtpReply }).reply] : [],
  );
  return {
    codes: replies.map((x) => Math.floor(x.code / 100)),
    enhanced: replies.map((x) => x.enhanced?.class),
  };
}

export async function runSmtpConversation(target: Target, body: Buffer): Promise<SmtpResult> {
  const out: Record<string, ReplyClass> = {};
  const session = await open(target, 'smtp');
  const smtp = smtpCodec(session)!;
  const step = async (name: string, r: Promise<CommandResult>) => {
    out[name] = classes(await r);
  };
  await step(
    'EHLO',
    runTyped(session, smtp, (c) => c.ehlo('client.example.test')),
  );
  await step(
    'MAIL FROM',
    runTyped(session, smtp, (c) => c.mailFrom(target.alice.address)),
  );
  await step(
    'RCPT known',
    runTyped(session, smtp, (c) => c.rcptTo(target.bob.address)),
  );
  await step(
    'RCPT unknown',
    runTyped(session, smtp, (c) => c.rcptTo('nobody@example.test')),
  );
  await step(
    'DATA',
    runTyped(session, smtp, (c) => c.data(body)),
  );
  await step(
    'RSET',
    runTyped(session, smtp, (c) => c.rset()),
  );
  await step(
    'NOOP',
    runTyped(session, smtp, (c) => c.noop()),
  );
  await step('bad command', session.sendRaw('FROB the-widget'));
  await step(
    'RCPT without MAIL',
    runTyped(session, smtp, (c) => c.rcptTo(target.bob.address)),
  );
  await step('DATA without RCPT', session.sendRaw('DATA'));
  await step('MAIL FROM bad syntax', session.sendRaw('MAIL FROM:alice-without-brackets'));
  // Postfix (strict_rfc821_envelopes=no) opened a transaction for that; start clean on both.
  await step(
    'RSET after bad syntax',
    runTyped(session, smtp, (c) => c.rset()),
  );
  await step(
    'MAIL FROM again',
    runTyped(session, smtp, (c) => c.mailFrom(target.alice.address)),
  );
  await step(
    'nested MAIL FROM',
    runTyped(session, smtp, (c) => c.mailFrom(target.alice.address)),
  );
  await step(
    'RCPT other domain',
    runTyped(session, smtp, (c) => c.rcptTo('someone@elsewhere.invalid')),
  );
  await step(
    'RSET again',
    runTyped(session, smtp, (c) => c.rset()),
  );
  await step('EHLO without domain', session.sendRaw('EHLO'));
  await step(
    'QUIT',
    runTyped(session, smtp, (c) => c.quit()),
  );

  const early = await open(target, 'smtp');
  await step('MAIL before EHLO', early.sendRaw(`MAIL FROM:<${target.alice.address}>`));
  await step('QUIT (early)', early.sendRaw('QUIT'));

  const auth = await open(target, 'smtp');
  const authCodec = smtpCodec(auth)!;
  await step(
    'EHLO (auth)',
    runTyped(auth, authCodec, (c) => c.ehlo('client.example.test')),
  );
  const mech = createMechanism('PLAIN', { username: target.alice.username, password: 'wrong-password' });
  await step(
    'AUTH wrong password',
    runTyped(auth, authCodec, (c) => c.authenticate(mech!)),
  );
  await step(
    'QUIT (auth)',
    runTyped(auth, authCodec, (c) => c.quit()),
  );
  return out;
}

/**
 * The delivered copy as the recipient reads it by IMAP: BODY[TEXT] and the Subject field, found
 * by SUBJECT search. Delivery may lag the 250 (Postfix hands over by LMTP), so `waitForDelivery`
 * runs first when the target has one.
 */
export async function readDelivered(
  target: Target,
  subject: string,
  waitForDelivery?: () => Promise<void>,
): Promise<{ readonly text: string | null; readonly subjectField: string | null; readonly count: number }> {
  await waitForDelivery?.();
  const session = await open(target, 'imap');
  const imap = imapCodec(session)!;
  const login = await runTyped(session, imap, (c) => c.login(target.bob.username, target.bob.password));
  if (login.outcome !== 'ok') throw new Error(`${target.name}: LOGIN failed: ${login.text}`);
  await runTyped(session, imap, (c) => c.select('INBOX'));
  const search = await runTyped(session, imap, (c) => c.command('SEARCH', [{ atom: 'SUBJECT' }, subject]));
  const found = search.events.flatMap((e) => {
    const u = (e as unknown as { response?: UntaggedResponse }).response;
    return e.type === 'untagged' && u?.kind === 'search' ? u.numbers : [];
  });
  const seq = found[0];
  let text: string | null = null;
  let subjectField: string | null = null;
  if (seq !== undefined) {
    const r = await session.sendRaw(`R1 FETCH ${seq} (BODY.PEEK[TEXT] BODY.PEEK[HEADER.FIELDS (SUBJECT)])`);
    for (const e of r.events) {
      const u = (e as unknown as { response?: UntaggedResponse }).response;
      if (e.type !== 'untagged' || u?.kind !== 'fetch') continue;
      for (const s of u.data.sections ?? []) {
        const v = s.value instanceof Uint8Array ? Buffer.from(s.value).toString('latin1') : null;
        if (s.section === 'TEXT') text = v;
        else subjectField = v;
      }
    }
  }
  await session.sendRaw('R2 LOGOUT');
  return { text, subjectField, count: found.length };
}
