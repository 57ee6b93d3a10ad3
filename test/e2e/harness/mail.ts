// Mail for the steps to look at, handed to the sandbox over SMTP the way another server would.
import { submitMessage } from '../../helpers/real-servers/smtp-submit.js';

export async function deliverTestMessage(smtpPort: number, subject: string, body: string): Promise<void> {
  const message = [
    'From: Bob <bob@example.test>',
    'To: Alice <alice@example.test>',
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    '',
    body,
    '',
  ].join('\r\n');
  await submitMessage(
    { host: '127.0.0.1', port: smtpPort },
    'bob@example.test',
    ['alice@example.test'],
    message,
  );
}
