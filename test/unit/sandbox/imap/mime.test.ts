// ENVELOPE, BODYSTRUCTURE and BODY[section] from raw messages (src/sandbox/mime).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseMessage } from '../../../../src/sandbox/mime/entity.js';
import { buildEnvelope, parseAddressList } from '../../../../src/sandbox/mime/envelope.js';
import { buildBodyStructure } from '../../../../src/sandbox/mime/bodystructure.js';
import { encodeValue } from '../../../../src/sandbox/mime/imap-value.js';
import { extractSection } from '../../../../src/sandbox/mime/sections.js';
import { decodedBodyText, decodedHeaders } from '../../../../src/sandbox/mime/search-text.js';

const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'));
const bs = (raw: Buffer, extended = true): string =>
  encodeValue(buildBodyStructure(raw, parseMessage(raw), extended)).toString();
const env = (raw: Buffer): string => encodeValue(buildEnvelope(parseMessage(raw))).toString();

const MIXED = crlf([
  'Subject: report',
  'Content-Type: multipart/mixed; boundary=b1',
  '',
  'preamble',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'see attached',
  '--b1',
  'Content-Type: application/octet-stream; name=data.bin',
  'Content-Disposition: attachment; filename=data.bin',
  'Content-Transfer-Encoding: base64',
  'Content-ID: <att1@x>',
  '',
  'AAECAw==',
  '--b1--',
  'epilogue',
]);

const ALTERNATIVE = crlf([
  'Subject: alt',
  'Content-Type: multipart/alternative; boundary="alt"',
  '',
  '--alt',
  'Content-Type: text/plain',
  '',
  'plain',
  '--alt',
  'Content-Type: text/html; charset="UTF-8"',
  'Content-Language: en, fr',
  '',
  '<p>html</p>',
  '',
  '--alt--',
  '',
]);

const INNER = [
  'From: Inner <inner@example.test>',
  'Subject: inner subject',
  'Content-Type: multipart/mixed; boundary=in',
  '',
  '--in',
  'Content-Type: text/plain',
  '',
  'inner text',
  '--in',
  'Content-Type: text/x-note',
  '',
  'note',
  '--in--',
];
const NESTED = crlf([
  'Subject: fwd',
  'Content-Type: multipart/mixed; boundary=out',
  '',
  '--out',
  'Content-Type: text/plain',
  '',
  'see below',
  '--out',
  'Content-Type: message/rfc822',
  '',
  ...INNER,
  '--out--',
  '',
]);

describe('BODYSTRUCTURE', () => {
  test('single text part with defaults, sizes and line counts', () => {
    const raw = crlf(['Subject: x', '', 'one', 'two', '']);
    assert.equal(bs(raw), '("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 10 2 NIL NIL NIL NIL)');
    assert.equal(bs(raw, false), '("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 10 2)');
  });

  test('multipart/mixed with an attachment: disposition, id, encoding, exact size', () => {
    assert.equal(
      bs(MIXED),
      '(("text" "plain" ("charset" "utf-8") NIL NIL "7BIT" 12 1 NIL NIL NIL NIL)' +
        '("application" "octet-stream" ("name" "data.bin") "<att1@x>" NIL "base64" 8 NIL ("attachment" ("filename" "data.bin")) NIL NIL)' +
        ' "mixed" ("boundary" "b1") NIL NIL NIL)',
    );
  });

  test('multipart/alternative with language list', () => {
    assert.equal(
      bs(ALTERNATIVE),
      '(("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 5 1 NIL NIL NIL NIL)' +
        '("text" "html" ("charset" "UTF-8") NIL NIL "7BIT" 13 1 NIL NIL ("en" "fr") NIL)' +
        ' "alternative" ("boundary" "alt") NIL NIL NIL)',
    );
  });

  test('nested message/rfc822 carries the inner envelope and structure', () => {
    const out = bs(NESTED);
    const innerSize = Buffer.from(INNER.join('\r\n')).length;
    assert.ok(
      out.includes(
        `("message" "rfc822" NIL NIL NIL "7BIT" ${innerSize} (NIL "inner subject" (("Inner" NIL "inner" "example.test"))`,
      ),
      out,
    );
    assert.ok(out.includes('"mixed" ("boundary" "in") NIL NIL NIL) 13 NIL NIL NIL NIL)'), out);
  });
});

describe('ENVELOPE', () => {
  test('encoded words stay encoded; sender and reply-to default to from; groups', () => {
    const raw = crlf([
      'Date: Wed, 3 Jan 2024 08:00:00 +0000',
      'Subject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?= "quoted" \\ back',
      'From: =?utf-8?B?SsO8cmdlbg==?= <j@example.test>',
      'To: undisclosed-recipients:;',
      'Cc: Team: a@x.test, "B, Person" <b@y.test>;, c@z.test (Cee)',
      'In-Reply-To: <prev@x>',
      'Message-ID: <id@x>',
      '',
      'body',
    ]);
    assert.equal(
      env(raw),
      '("Wed, 3 Jan 2024 08:00:00 +0000" "=?utf-8?Q?Gr=C3=BC=C3=9Fe?= \\"quoted\\" \\\\ back" ' +
        '(("=?utf-8?B?SsO8cmdlbg==?=" NIL "j" "example.test")) (("=?utf-8?B?SsO8cmdlbg==?=" NIL "j" "example.test")) ' +
        '(("=?utf-8?B?SsO8cmdlbg==?=" NIL "j" "example.test")) ((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) ' +
        '((NIL NIL "Team" NIL)(NIL NIL "a" "x.test")("B, Person" NIL "b" "y.test")(NIL NIL NIL NIL)("Cee" NIL "c" "z.test")) ' +
        'NIL "<prev@x>" "<id@x>")',
    );
  });

  test('a missing header is NIL, a non-ASCII header goes as a literal', () => {
    const raw = Buffer.from('Subject: caf\u00e9\r\n\r\n', 'utf8');
    assert.equal(
      env(raw),
      '(NIL {5}\r\ncaf\u00e9 NIL NIL NIL NIL NIL NIL NIL NIL)'.replace(
        '{5}',
        `{${Buffer.byteLength('café')}}`,
      ),
    );
  });

  test('address parser handles route addresses and bare addresses', () => {
    assert.deepEqual(parseAddressList('<@relay.test:user@host.test>, plain@host.test'), [
      { name: null, adl: '@relay.test', mailbox: 'user', host: 'host.test' },
      { name: null, adl: null, mailbox: 'plain', host: 'host.test' },
    ]);
  });
});

describe('BODY[section]', () => {
  test('numbered parts, MIME headers, HEADER/TEXT of an embedded message', () => {
    assert.equal(extractSection(MIXED, { path: [1] }).toString(), 'see attached');
    assert.equal(extractSection(MIXED, { path: [2] }).toString(), 'AAECAw==');
    assert.equal(
      extractSection(MIXED, { path: [2], text: 'MIME' }).toString(),
      'Content-Type: application/octet-stream; name=data.bin\r\nContent-Disposition: attachment; filename=data.bin\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <att1@x>\r\n\r\n',
    );
    assert.equal(extractSection(NESTED, { path: [2] }).toString(), INNER.join('\r\n'));
    assert.equal(
      extractSection(NESTED, { path: [2], text: 'HEADER' }).toString(),
      INNER.slice(0, 4).join('\r\n') + '\r\n',
    );
    assert.equal(extractSection(NESTED, { path: [2, 1] }).toString(), 'inner text');
    assert.equal(extractSection(NESTED, { path: [2, 2] }).toString(), 'note');
    assert.equal(
      extractSection(NESTED, { path: [2], text: 'HEADER.FIELDS', fields: ['subject'] }).toString(),
      'Subject: inner subject\r\n\r\n',
    );
    assert.equal(
      extractSection(NESTED, { path: [], text: 'HEADER.FIELDS.NOT', fields: ['Content-Type'] }).toString(),
      'Subject: fwd\r\n\r\n',
    );
    assert.equal(extractSection(NESTED, { path: [7] }).length, 0, 'missing part is empty');
    const single = crlf(['Subject: s', '', 'just text']);
    assert.equal(extractSection(single, { path: [1] }).toString(), 'just text');
    assert.equal(extractSection(single, { path: [], text: 'TEXT' }).toString(), 'just text');
  });

  test('any bytes parse without throwing, and every section lies inside the message', () => {
    const lineArb = fc.oneof(
      fc.constantFrom(
        '--b',
        '--b--',
        'Content-Type: multipart/mixed; boundary=b',
        'Content-Type: message/rfc822',
        '',
        'X: y',
        ' folded',
      ),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
        (lines, path) => {
          const raw = Buffer.from(lines.join('\r\n'));
          const root = parseMessage(raw);
          encodeValue(buildBodyStructure(raw, root, true));
          encodeValue(buildEnvelope(root));
          for (const text of [undefined, 'HEADER', 'TEXT', 'MIME'] as const) {
            const part = extractSection(raw, { path, ...(text ? { text } : {}) });
            assert.ok(part.length <= raw.length);
            if (part.length > 0 && text !== undefined) assert.ok(raw.includes(part));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('search text', () => {
  test('decodes encoded-word headers and base64/quoted-printable bodies', () => {
    const raw = crlf([
      'Subject: =?iso-8859-1?Q?r=E9sum=E9?=',
      'Content-Type: multipart/mixed; boundary=z',
      '',
      '--z',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('naïve café').toString('base64'),
      '--z--',
    ]);
    assert.deepEqual(decodedHeaders(raw, 'SUBJECT'), ['résumé']);
    assert.ok(decodedBodyText(raw).includes('naïve café'));
  });
});
