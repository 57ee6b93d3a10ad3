// Realistic messages for recorded dialogues and delivery tests. Fixed dates and Message-IDs keep
// the recorded bodies stable between recordings; only server-made headers (Received, Return-Path,
// Delivered-To) differ.

/** Deterministic pseudo-random bytes, so the attachment is the same in every recording. */
function bytes(count: number, seed: number): Buffer {
  const out = Buffer.alloc(count);
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function base64Lines(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join('\n');
}

function encodedWord(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** "Alice Example" for alice@example.test. */
function displayName(address: string): string {
  const local = address.split('@')[0] ?? address;
  return `${local.charAt(0).toUpperCase()}${local.slice(1)} Example`;
}

export interface SampleMessage {
  readonly name: string;
  readonly text: string;
}

export function plainMessage(from: string, to: string): SampleMessage {
  return {
    name: 'plain text',
    text: `From: ${displayName(from)} <${from}>
To: ${displayName(to)} <${to}>
Subject: Lunch on Thursday?
Date: Tue, 03 Nov 2026 10:15:00 +0000
Message-ID: <plain-1@client.example.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Hi,

are we still on for lunch on Thursday?
.A line starting with a dot, to exercise dot-stuffing.

${displayName(from)}
`,
  };
}

/** multipart/mixed with a base64 PDF attachment, an RFC 2231 file name and an encoded-word subject. */
export function multipartMessage(from: string, to: string): SampleMessage {
  const boundary = '=_mailwire_mixed_8f3a';
  return {
    name: 'multipart with attachment, encoded-word subject',
    text: `From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <${from}>
To: ${to}
Subject: ${encodedWord('Grüße aus Köln – Quartalsbericht')}
Date: Wed, 04 Nov 2026 08:30:00 +0100
Message-ID: <multipart-1@client.example.test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="${boundary}"

This is a multi-part message in MIME format.

--${boundary}
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Hallo ${displayName(to)},

anbei der Bericht f=C3=BCr das dritte Quartal. Sch=C3=B6ne Gr=C3=BC=C3=9Fe!

--${boundary}
Content-Type: application/pdf; name="report-q3.pdf"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="report-q3.pdf"

${base64Lines(Buffer.concat([Buffer.from('%PDF-1.4\n'), bytes(600, 7)]))}
--${boundary}
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt

${base64Lines(Buffer.from('Résumé: nothing to see here.\n', 'utf8'))}
--${boundary}--
`,
  };
}

/** multipart/alternative (text + HTML, quoted-printable) with a Latin-1 Q-encoded subject. */
export function alternativeMessage(from: string, to: string): SampleMessage {
  const boundary = 'alt-boundary-42';
  return {
    name: 'multipart/alternative, ISO-8859-1 Q-encoded subject',
    text: `From: "Cafe Newsletter" <${from}>
To: ${to}
Cc: ${displayName(to)} <${to}>
Subject: =?ISO-8859-1?Q?Caf=E9_menu_for_the_week?=
Date: Thu, 05 Nov 2026 12:00:00 -0500
Message-ID: <alternative-1@client.example.test>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="${boundary}"

--${boundary}
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Caf=E9 au lait, cr=E8me br=FBl=E9e and a very long line that has to be wrapped by quoted-printab=
le soft line breaks because it is longer than seventy-six characters.

--${boundary}
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><p>Caf=C3=A9 au lait, cr=C3=A8me br=C3=BBl=C3=A9e</p></body></html>

--${boundary}--
`,
  };
}

export function shortMessage(from: string, to: string, n: number): SampleMessage {
  return {
    name: `short note ${n}`,
    text: `From: ${from}
To: ${to}
Subject: Note ${n}
Date: Fri, 06 Nov 2026 09:0${n % 10}:00 +0000
Message-ID: <note-${n}@client.example.test>

Short note number ${n}.
`,
  };
}
