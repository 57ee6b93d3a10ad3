// The raw messages APPENDed to both servers, with CRLF line ends (IMAP literals carry the message
// as stored). The samples come from the real-server harness; one more nests a message/rfc822.
import {
  alternativeMessage,
  multipartMessage,
  plainMessage,
} from '../../helpers/real-servers/sample-messages.js';

export interface DiffMessage {
  readonly name: string;
  readonly raw: Buffer;
  /** APPEND's date-time, distinct per message so SINCE/BEFORE have something to separate. */
  readonly internalDate: string;
  /** Sections fetched and compared byte for byte, besides BODY[] itself. */
  readonly sections: readonly string[];
}

const crlf = (text: string): Buffer => Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');

function nestedMessage(from: string, to: string): string {
  const boundary = 'fwd-boundary-77';
  const inner = plainMessage(to, from).text;
  return `From: Alice Example <${from}>
To: ${to}
Subject: Fwd: Lunch on Thursday?
Date: Sat, 07 Nov 2026 18:45:00 +0000
Message-ID: <nested-1@client.example.test>
In-Reply-To: <plain-1@client.example.test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="${boundary}"

--${boundary}
Content-Type: text/plain; charset=us-ascii

See the forwarded message below.

--${boundary}
Content-Type: message/rfc822
Content-Description: forwarded message

${inner}
--${boundary}--
`;
}

export function diffMessages(from: string, to: string): DiffMessage[] {
  return [
    {
      name: 'plain text',
      raw: crlf(plainMessage(from, to).text),
      internalDate: '03-Nov-2026 10:15:00 +0000',
      sections: ['HEADER', 'TEXT', '1', 'HEADER.FIELDS (SUBJECT FROM)'],
    },
    {
      name: 'multipart/mixed with attachments',
      raw: crlf(multipartMessage(from, to).text),
      internalDate: '04-Nov-2026 08:30:00 +0100',
      sections: ['HEADER', 'TEXT', '1', '1.MIME', '2', '3', 'HEADER.FIELDS (SUBJECT FROM)'],
    },
    {
      name: 'multipart/alternative',
      raw: crlf(alternativeMessage(from, to).text),
      internalDate: '05-Nov-2026 12:00:00 -0500',
      sections: ['HEADER', '1', '2', '2.MIME'],
    },
    {
      name: 'nested message/rfc822',
      raw: crlf(nestedMessage(from, to)),
      internalDate: '07-Nov-2026 18:45:00 +0000',
      sections: ['HEADER', '1', '2', '2.HEADER', '2.TEXT', '2.1', '2.MIME'],
    },
  ];
}
