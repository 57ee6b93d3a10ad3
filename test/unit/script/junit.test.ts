import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toJUnitXml } from '../../../src/script/junit.js';
import type { ScriptResult, StepResult } from '../../../src/script/result.js';

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A tiny, strict XML reader: enough to prove the output is well-formed and to read it back. */
function parseXml(xml: string): XmlElement {
  let pos = 0;
  const decl = /^<\?xml [^?]*\?>\n?/.exec(xml);
  if (decl) pos = decl[0].length;
  const unescape = (s: string): string => {
    assert.doesNotMatch(s, /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i, `bare & in ${s}`);
    assert.doesNotMatch(s, /</, `raw < in ${s}`);
    return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (named[e] !== undefined) return named[e];
      return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    });
  };
  const element = (): XmlElement => {
    const open = /^<([A-Za-z][\w-]*)((?:\s+[A-Za-z][\w-]*="[^"]*")*)\s*(\/?)>/.exec(xml.slice(pos));
    assert.ok(open, `expected an element at ${pos}: ${xml.slice(pos, pos + 40)}`);
    pos += open[0].length;
    const attrs: Record<string, string> = {};
    for (const m of (open[2] ?? '').matchAll(/([A-Za-z][\w-]*)="([^"]*)"/g)) {
      assert.equal(attrs[m[1] ?? ''], undefined, 'duplicate attribute');
      attrs[m[1] ?? ''] = unescape(m[2] ?? '');
    }
    const el: XmlElement = { name: open[1] ?? '', attrs, children: [], text: '' };
    if (open[3] === '/') return el;
    for (;;) {
      const close = `</${el.name}>`;
      if (xml.startsWith(close, pos)) {
        pos += close.length;
        return el;
      }
      if (xml.startsWith('</', pos)) assert.fail(`mismatched close at ${pos}: ${xml.slice(pos, pos + 30)}`);
      if (xml[pos] === '<') {
        el.children.push(element());
        continue;
      }
      const next = xml.indexOf('<', pos);
      assert.ok(next > 0, 'unterminated element ' + el.name);
      el.text += unescape(xml.slice(pos, next));
      pos = next;
    }
  };
  const root = element();
  assert.equal(xml.slice(pos).trim(), '', 'content after the root element');
  // Characters XML 1.0 forbids even when escaped.
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
  return root;
}

const step = (s: Partial<StepResult> & Pick<StepResult, 'kind' | 'status'>): StepResult => ({
  line: 1,
  title: 'x',
  durationMs: 12,
  reply: [],
  expectations: [],
  ...s,
});

const RESULT: ScriptResult = {
  fileName: 'scripts/story.mailwire',
  status: 'failed',
  durationMs: 1500,
  connections: [
    {
      line: 1,
      url: 'imap://127.0.0.1:1143',
      protocol: 'imap',
      status: 'failed',
      durationMs: 100,
      steps: [
        step({ kind: 'connect', status: 'passed', title: '@connect imap://127.0.0.1:1143' }),
        step({ kind: 'greeting', status: 'passed', reply: ['* OK ready'] }),
        step({
          kind: 'command',
          status: 'failed',
          line: 3,
          title: 'a1 LOGIN alice <redacted>',
          reply: ['a1 NO [AUTHENTICATIONFAILED] <"bad"> & \'worse\''],
          expectations: [
            {
              line: 4,
              column: 4,
              endColumn: 9,
              source: 'a1 OK',
              status: 'failed',
              message:
                'expected a line starting with "a1 OK", got: "a1 NO [AUTHENTICATIONFAILED] <\\"bad\\"> & \'worse\'"',
            },
          ],
          message:
            'expected a line starting with "a1 OK", got: "a1 NO [AUTHENTICATIONFAILED] <\\"bad\\"> & \'worse\'"',
        }),
        step({ kind: 'command', status: 'skipped', line: 5, title: 'a2 SELECT INBOX' }),
      ],
    },
    {
      line: 7,
      url: 'smtp://127.0.0.1:2525',
      protocol: 'smtp',
      status: 'error',
      durationMs: 5,
      steps: [
        step({
          kind: 'connect',
          status: 'error',
          line: 7,
          message: 'Connection refused by 127.0.0.1:2525\nretry',
        }),
      ],
    },
  ],
};

/** Any code points, lone surrogates and control characters included (faster than fc's binary strings). */
const anyText = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0x10ffff })), {
    maxLength: 40,
  })
  .map((cps) => String.fromCodePoint(...cps));

describe('JUnit XML', () => {
  test('one testsuite per file, one testcase per step, with counts and readable names', () => {
    const root = parseXml(toJUnitXml(RESULT));
    assert.equal(root.name, 'testsuites');
    assert.deepEqual(
      [root.attrs.tests, root.attrs.failures, root.attrs.errors, root.attrs.skipped],
      ['5', '1', '1', '1'],
    );
    const [suite] = root.children;
    assert.equal(suite?.attrs.name, 'scripts/story.mailwire');
    assert.equal(suite?.attrs.time, '1.500');
    const cases = suite?.children ?? [];
    assert.deepEqual(
      cases.map((c) => c.attrs.name),
      [
        'line 1: @connect imap://127.0.0.1:1143',
        'line 1: greeting',
        'line 3: C: a1 LOGIN alice <redacted>',
        'line 5: C: a2 SELECT INBOX',
        'line 7: x',
      ],
    );
    assert.equal(cases[0]?.attrs.classname, 'story.mailwire @connect imap://127.0.0.1:1143 (line 1)');
    const failure = cases[2]?.children[0];
    assert.equal(failure?.name, 'failure');
    assert.equal(failure?.attrs.message, RESULT.connections[0]?.steps[2]?.message);
    assert.match(failure?.text ?? '', /line 4: S: a1 OK\n/);
    assert.match(failure?.text ?? '', /reply:\n {2}a1 NO \[AUTHENTICATIONFAILED\] <"bad"> & 'worse'/);
    assert.equal(cases[3]?.children[0]?.name, 'skipped');
    const error = cases[4]?.children[0];
    assert.equal(error?.name, 'error');
    // Newlines survive in attributes because they are written as character references.
    assert.equal(error?.attrs.message, 'Connection refused by 127.0.0.1:2525\nretry');
  });

  test('several files, and a script-level error', () => {
    const broken: ScriptResult = {
      fileName: 'b.imap',
      status: 'error',
      durationMs: 0,
      connections: [],
      message: 'env X not set',
    };
    const root = parseXml(toJUnitXml([RESULT, broken], { name: 'ci' }));
    assert.equal(root.attrs.name, 'ci');
    assert.equal(root.children.length, 2);
    assert.equal(root.children[1]?.children[0]?.children[0]?.attrs.message, 'env X not set');
  });

  test('the extra secrets option redacts anything that slipped through', () => {
    const xml = toJUnitXml(RESULT, { secrets: ['AUTHENTICATIONFAILED'] });
    assert.ok(!xml.includes('AUTHENTICATIONFAILED'));
  });

  test('property: any reply text gives well-formed XML that reads back the same (invalid XML characters escaped)', () => {
    fc.assert(
      fc.property(anyText, fc.string({ maxLength: 40 }), (line, message) => {
        const r: ScriptResult = {
          fileName: 'f.smtp',
          status: 'failed',
          durationMs: 1,
          connections: [
            {
              line: 1,
              url: 'smtp://h',
              protocol: 'smtp',
              status: 'failed',
              durationMs: 1,
              steps: [step({ kind: 'command', status: 'failed', title: line, reply: [line], message })],
            },
          ],
        };
        const root = parseXml(toJUnitXml(r));
        const tc = root.children[0]?.children[0];
        const invalid = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
        if (!invalid.test(message)) assert.equal(tc?.children[0]?.attrs.message, message);
        if (!invalid.test(line)) assert.equal(tc?.attrs.name, `line 1: C: ${line}`);
      }),
      { numRuns: 200 },
    );
  });
});
