// The MIME outline shown for fetched messages: parts, their types and where their lines are.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { messageOutline, type OutlineNode } from '../../../src/message/outline.js';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

const MIXED = crlf([
  'From: <alice@example.test>', // 0
  'Subject: =?UTF-8?B?SGVsbG8gd8O2cmxk?=', // 1
  'MIME-Version: 1.0', // 2
  'Content-Type: multipart/mixed; boundary="outer"', // 3
  '', // 4
  '--outer', // 5
  'Content-Type: multipart/alternative; boundary=inner', // 6
  '', // 7
  '--inner', // 8
  'Content-Type: text/plain; charset=utf-8', // 9
  '', // 10
  'plain body', // 11
  '--inner', // 12
  'Content-Type: text/html; charset=utf-8', // 13
  'Content-Transfer-Encoding: quoted-printable', // 14
  '', // 15
  '<p>html body</p>', // 16
  '--inner--', // 17
  '--outer', // 18
  'Content-Type: application/pdf; name="report.pdf"', // 19
  'Content-Disposition: attachment; filename="report.pdf"', // 20
  'Content-Transfer-Encoding: base64', // 21
  '', // 22
  'JVBERi0xLjQK', // 23
  '--outer--', // 24
  '',
]);

function find(node: OutlineNode, name: string): OutlineNode | undefined {
  if (node.name.startsWith(name)) return node;
  for (const c of node.children) {
    const hit = find(c, name);
    if (hit) return hit;
  }
  return undefined;
}

describe('messageOutline', () => {
  test('a nested multipart message: decoded subject, part numbers, types, encodings, the attachment', () => {
    const root = messageOutline(MIXED);
    assert.equal(root.kind, 'message');
    assert.equal(root.name, 'Message: Hello wörld — multipart/mixed');
    assert.equal(root.startLine, 0);
    assert.equal(root.children[0]?.name, 'Headers');
    assert.equal(root.children[0]?.startLine, 0);
    assert.equal(root.children[0]?.endLine, 4, 'the header block ends with its blank line');
    const alt = find(root, 'multipart/alternative');
    assert.ok(alt);
    assert.match(alt.detail, /^1 · /);
    const plain = find(root, 'text/plain; charset=utf-8');
    assert.ok(plain);
    assert.match(plain.detail, /^1\.1 · 10 bytes$/);
    assert.equal(plain.startLine, 9);
    assert.equal(plain.endLine, 11);
    const html = find(root, 'text/html');
    assert.match(html?.detail ?? '', /^1\.2 · \d+ bytes · quoted-printable$/);
    const pdf = find(root, 'application/pdf');
    assert.equal(pdf?.kind, 'attachment');
    assert.match(pdf?.detail ?? '', /^2 · 12 bytes · base64 · report\.pdf$/);
    assert.equal(pdf?.startLine, 19);
  });

  test('a single-part message with LF line ends and no subject', () => {
    const root = messageOutline(Buffer.from('From: a@b\n\nhello\nworld\n'));
    assert.equal(root.name, 'Message: (no subject) — text/plain');
    assert.equal(root.endLine, 3);
    assert.deepEqual(
      root.children.map((c) => [c.name, c.startLine, c.endLine]),
      [['Headers', 0, 1]],
    );
  });

  test('hostile input: no header block, a boundary that never closes, deep nesting — no throw, every line covered', () => {
    assert.doesNotThrow(() => messageOutline(Buffer.from('no colon here\r\njust text')));
    const unclosed = messageOutline(
      crlf(['Content-Type: multipart/mixed; boundary=b', '', '--b', '', 'part one', '--b', '', 'part two']),
    );
    assert.equal(unclosed.children.filter((c) => c.kind === 'part').length, 2);
    let deep = 'x\r\n';
    for (let i = 0; i < 200; i++)
      deep = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${deep}--b${i}--\r\n`;
    assert.doesNotThrow(() => messageOutline(Buffer.from(deep)));
  });
});
