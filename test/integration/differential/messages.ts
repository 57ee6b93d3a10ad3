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

/** Header and MIME shapes that ENVELOPE and BODYSTRUCTURE builders often get wrong. */
export function edgeMessages(from: string, to: string): DiffMessage[] {
  const at = (d: string, sections: readonly string[] = ['HEADER', '1', 'TEXT']) => ({
    internalDate: d,
    sections,
  });
  return [
    {
      name: 'group, Sender, Reply-To, quoted comma names, folded subject, no Date',
      raw: crlf(`From: "Example, Alice" <${from}>
Sender: Mailing List <list@example.test>
Reply-To: replies@example.test (the replies box)
To: undisclosed-recipients:;
Cc: Team: ${to}, "Carol \\"C\\" Doe" <carol@example.test>;, dave@example.test
Bcc: =?UTF-8?B?w4lsb2RpZQ==?= <elodie@example.test>
Subject: a folded
 subject line
In-Reply-To: <earlier@example.test>
Message-ID: <edge-1@client.example.test>

Body.
`),
      ...at('08-Nov-2026 09:00:00 +0000'),
    },
    {
      name: 'no Content-Type, header only, no body',
      raw: crlf(`From: ${from}
To: ${to}
Subject: empty
MIME-Version: 1.0

`),
      ...at('08-Nov-2026 09:01:00 +0000'),
    },
    {
      name: 'nested multiparts, preamble and epilogue, MIME header fields',
      raw: crlf(`From: ${from}
To: ${to}
Subject: nested
MIME-Version: 1.0
Content-Type: MULTIPART/Mixed; Boundary="outer"

preamble text
--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain

plain
--inner
Content-Type: TEXT/HTML
Content-ID: <part-html@example.test>
Content-Description: the HTML version
Content-Language: en, de
Content-Location: http://example.test/x.html
Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==

<p>html</p>
--inner--
--outer
Content-Type: message/rfc822

From: inner@example.test
Subject: inner multipart
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=deep

--deep
Content-Type: application/octet-stream

bytes
--deep--
--outer--
epilogue text
`),
      ...at('08-Nov-2026 09:02:00 +0000', ['HEADER', '1', '1.1', '1.2', '2', '2.1', '2.TEXT', 'TEXT']),
    },
    {
      name: 'multipart without its closing boundary',
      raw: crlf(`From: ${from}
To: ${to}
Subject: truncated
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain

first
--b
Content-Type: text/plain

second, and the message ends here
`),
      ...at('08-Nov-2026 09:03:00 +0000', ['HEADER', '1', '2', 'TEXT']),
    },
  ];
}
