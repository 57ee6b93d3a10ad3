// Hands a message to the harness's Postfix over plain SMTP (no AUTH: the recipients are local),
// the way another mail server would. For setting up mailboxes in tests, not for testing SMTP.
import type { Endpoint } from './index.js';
import { Wire } from './wire.js';

const REPLY = /^\d{3} [^\r\n]*\r\n/m;

async function expect(wire: Wire, line: string | undefined, code: string): Promise<string> {
  const reply = line === undefined ? await wire.readUntil(REPLY) : await wire.command(line, REPLY);
  if (!reply.split('\r\n').at(-2)?.startsWith(code)) {
    throw new Error(`SMTP ${line ?? 'greeting'} answered ${JSON.stringify(reply)}, expected ${code}`);
  }
  return reply;
}

/** Dot-stuffs and CRLF-terminates a message so it can follow DATA. */
export function smtpDataBody(message: string): string {
  const crlf = message.replace(/\r?\n/g, '\r\n');
  const stuffed = crlf.replace(/^\./gm, '..');
  return stuffed.endsWith('\r\n') ? stuffed : `${stuffed}\r\n`;
}

/** Sends `message` (headers and body, LF or CRLF) from `from` to `to`; resolves when queued. */
export async function submitMessage(
  smtp: Endpoint,
  from: string,
  to: readonly string[],
  message: string,
): Promise<string> {
  const wire = await Wire.open({ host: smtp.host, port: smtp.port });
  try {
    await expect(wire, undefined, '220');
    await expect(wire, 'EHLO submitter.example.test', '250');
    await expect(wire, `MAIL FROM:<${from}>`, '250');
    for (const rcpt of to) await expect(wire, `RCPT TO:<${rcpt}>`, '250');
    await expect(wire, 'DATA', '354');
    await wire.send(smtpDataBody(message));
    const queued = await expect(wire, '.', '250');
    await expect(wire, 'QUIT', '221');
    return queued.trim();
  } finally {
    wire.close();
  }
}
