// The message "Send Test Message..." sends: a small RFC 5322 text message with the headers a
// receiving server expects (Date, Message-ID), so it is not refused for being malformed.
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';

export interface TestMessageInput {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  /** Right-hand side of the Message-ID. */
  readonly domain: string;
  readonly date?: Date;
}

export function testMessage(input: TestMessageInput): Uint8Array {
  const date = input.date ?? new Date();
  const id = `${date.getTime().toString(36)}.${randomBytes(6).toString('hex')}@${input.domain}`;
  const subject = /^[\x20-\x7e]*$/.test(input.subject)
    ? input.subject
    : `=?UTF-8?B?${Buffer.from(input.subject, 'utf8').toString('base64')}?=`;
  const lines = [
    `From: <${input.from}>`,
    `To: ${input.to.map((a) => `<${a}>`).join(', ')}`,
    `Subject: ${subject}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${id}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    'X-Mailer: Mailwire',
    '',
    'This is a test message sent by Mailwire.',
    '',
    `It went from ${input.from} to ${input.to.join(', ')}.`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}
