// The transcript grammar: every regex must compile in JavaScript without Oniguruma-only syntax,
// and sample lines in the exact shape render.ts produces must get the intended scopes. A small
// TextMate-like scanner (first match wins, earliest position first) stands in for vscode-textmate.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEvent } from '../../../src/transcript/render.js';
import type { TranscriptEvent } from '../../../src/transcript/events.js';

interface Rule {
  name?: string;
  match?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, { name: string }>;
}
interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const grammar = JSON.parse(
  readFileSync(join(__dirname, '../../../media/syntaxes/mailwire-transcript.tmLanguage.json'), 'utf8'),
) as Grammar;

function flatten(rules: Rule[]): Rule[] {
  const out: Rule[] = [];
  for (const rule of rules) {
    if (rule.include) {
      const target = grammar.repository[rule.include.replace(/^#/, '')];
      assert.ok(target, `include ${rule.include} exists`);
      out.push(...flatten(target.patterns ?? [target]));
    } else if (rule.match) out.push(rule);
    else assert.fail(`rule without match or include: ${JSON.stringify(rule)}`);
  }
  return out;
}

const rules = flatten(grammar.patterns);
const compiled = rules.map((r) => ({ rule: r, re: new RegExp(r.match ?? '', 'dg') }));

/** Tokens as [text, scope] for every named rule or capture that matched. */
function scopes(line: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let pos = 0;
  while (pos < line.length) {
    let best: { m: RegExpExecArray; rule: Rule } | undefined;
    for (const { rule, re } of compiled) {
      re.lastIndex = pos;
      const m = re.exec(line);
      if (m && (!best || m.index < best.m.index)) best = { m, rule };
    }
    if (!best) break;
    const { m, rule } = best;
    if (rule.name) out.push([m[0], rule.name]);
    for (const [group, capture] of Object.entries(rule.captures ?? {})) {
      const text = m[Number(group)];
      if (text !== undefined && text !== '') out.push([text, capture.name]);
    }
    pos = m.index + Math.max(1, m[0].length);
  }
  return out;
}

function scopeOf(line: string, text: string): string[] {
  return scopes(line)
    .filter(([t]) => t === text)
    .map(([, s]) => s);
}

function expectScope(line: string, text: string, scopePrefix: string): void {
  const found = scopeOf(line, text);
  assert.ok(
    found.some((s) => s.startsWith(scopePrefix)),
    `"${text}" in ${JSON.stringify(line)} should be ${scopePrefix}; got ${JSON.stringify(scopes(line))}`,
  );
}

describe('transcript grammar', () => {
  test('every regex compiles in JavaScript and avoids Oniguruma-only syntax', () => {
    assert.ok(rules.length >= 20);
    for (const { match } of rules) {
      assert.doesNotThrow(() => new RegExp(match ?? ''), match);
      // \h \H \A \z \Z \G, atomic groups, possessive quantifiers, inline flags: Oniguruma only.
      assert.doesNotMatch(match ?? '', /\\[hHAzZG]|\(\?>|[*+?}]\+(?![^[]*\])|\(\?[imx]+[):]/, match);
      // Oniguruma lookbehind: fixed width, alternatives only at its top level.
      for (const lb of (match ?? '').matchAll(/\(\?<[=!]((?:[^()]|\([^()]*\))*)\)/g)) {
        const body = lb[1] ?? '';
        assert.doesNotMatch(body, /\([^)]*\|/, `nested alternation in lookbehind: ${match}`);
        assert.doesNotMatch(body, /[*+?]|\{\d+,\}/, `variable-width lookbehind: ${match}`);
      }
    }
  });

  test('timestamps, directions and notes', () => {
    expectScope('12:00:01.123 C: a1 NOOP', '12:00:01.123 ', 'comment.other.timestamp');
    expectScope('12:00:01.123 C: a1 NOOP', 'C:', 'storage.type.direction.client');
    expectScope('S: * OK ready', 'S:', 'entity.name.type.direction.server');
    // Warnings carry the inner scope VS Code's themes color orange.
    assert.match(scopeOf('S: a2 NO [TRYCREATE] no such mailbox', 'NO')[0] ?? '', / token\.warn-token\./);
    expectScope(
      '12:00:01.123 -- connected to 127.0.0.1:1143',
      'connected to 127.0.0.1:1143',
      'comment.line.note',
    );
    expectScope('-- warning: possible injection', ' possible injection', 'invalid.deprecated.note.warning');
    expectScope('-- error: Connection refused', ' Connection refused', 'invalid.illegal.note.error');
    expectScope(
      '-- TLS established: TLSv1.3, TLS_AES_256_GCM_SHA384',
      'TLS established: TLSv1.3, TLS_AES_256_GCM_SHA384',
      'support.type.note.tls',
    );
    expectScope('--   SHA-256 AB:CD', '  SHA-256 AB:CD', 'support.type.note.tls');
  });

  test('SMTP reply codes get four distinct scopes, plus enhanced status codes', () => {
    const scopeFor = (line: string, code: string) => scopeOf(line, code)[0] ?? '';
    const s2 = scopeFor('S: 250-PIPELINING', '250');
    const s3 = scopeFor('12:00:00.000 S: 354 End data with <CR><LF>.<CR><LF>', '354');
    const s4 = scopeFor('S: 421 4.7.0 Try again later', '421');
    const s5 = scopeFor('S: 550 5.1.1 No such user', '550');
    assert.ok(s2.startsWith('markup.inserted'), s2);
    assert.ok(s3.startsWith('string'), s3);
    assert.ok(s4.startsWith('markup.changed'), s4);
    assert.ok(s5.startsWith('invalid'), s5);
    expectScope('S: 550 5.1.1 No such user', '5.1.1', 'constant.numeric.enhanced-status');
    expectScope('12:00:00.000 S: 250 2.0.0 OK queued', '2.0.0', 'constant.numeric.enhanced-status');
    // A number in text is not a reply code.
    assert.deepEqual(
      scopeOf('S: * 250 EXISTS', '250').filter((s) => s.startsWith('markup')),
      [],
    );
    assert.deepEqual(scopeOf('C: MAIL FROM:<a@b> SIZE=250', '250'), []);
  });

  test('POP3 +OK / -ERR and IMAP tags, status words and response codes', () => {
    expectScope('S: +OK POP3 ready', '+OK', 'markup.inserted');
    expectScope('S: -ERR [AUTH] invalid login', '-ERR', 'invalid');
    expectScope('S: -ERR [AUTH] invalid login', '[AUTH]', 'support.constant.response-code');
    expectScope('S: a1 OK [READ-WRITE] SELECT completed', 'a1', 'entity.name.tag.imap');
    expectScope('S: a1 OK [READ-WRITE] SELECT completed', 'OK', 'markup.inserted');
    expectScope('S: a1 OK [READ-WRITE] SELECT completed', '[READ-WRITE]', 'support.constant.response-code');
    expectScope(
      'S: * OK [UIDVALIDITY 3857529045] UIDs valid',
      '[UIDVALIDITY 3857529045]',
      'support.constant.response-code',
    );
    expectScope('S: * PREAUTH ready', 'PREAUTH', 'markup.inserted');
    expectScope('S: a2 NO [AUTHENTICATIONFAILED] bad', 'NO', 'markup.changed');
    expectScope('S: a3 BAD unknown command', 'BAD', 'invalid');
    expectScope('S: * BYE logging out', 'BYE', 'invalid');
    expectScope('S: * 3 EXISTS', 'EXISTS', 'keyword.other.verb');
    expectScope('S: + ready for literal', '+', 'keyword.operator.continuation');
    // Not a response code: a FETCH section in a client line.
    assert.deepEqual(scopeOf('C: a4 FETCH 1 BODY[HEADER]', '[HEADER]'), []);
  });

  test('client tags and verbs', () => {
    expectScope('C: a1 LOGIN alice <redacted>', 'a1', 'entity.name.tag.imap');
    expectScope('C: a1 LOGIN alice <redacted>', 'LOGIN', 'keyword.other.verb');
    expectScope('12:00:00.000 C: EHLO client.example', 'EHLO', 'keyword.other.verb');
    expectScope('C: QUIT', 'QUIT', 'keyword.other.verb');
    expectScope('C: a2 uid fetch 1:* (FLAGS)', 'uid', 'keyword.other.verb');
    // A body line after DATA starts with an ordinary word: not colored as a command.
    assert.deepEqual(scopeOf('C: This is a test message', 'This'), []);
    assert.deepEqual(scopeOf('C: Subject: hello', 'Subject'), []);
  });

  test('redaction marks, literal summaries and framing marks from the real renderer', () => {
    const wire = (dir: 'C' | 'S', text: string, extra: Partial<TranscriptEvent> = {}): string[] =>
      renderEvent({ seq: 1, time: 0, dir, bytes: Buffer.from(text, 'latin1'), ...extra } as TranscriptEvent);
    const [login = ''] = wire('C', 'a1 LOGIN alice <redacted>\r\n');
    expectScope(login, '<redacted>', 'constant.language.redacted');
    const [literal = ''] = wire('S', '* 1 FETCH (BODY[] \r\n)\r\n', {
      payloads: [{ id: 7, size: 300000, offset: 17 }],
    });
    expectScope(literal, '[literal: 300,000 bytes, payload 7]', 'constant.other.literal-summary');
    const [body = ''] = wire('C', 'x'.repeat(70000), { clientPayload: true });
    expectScope(body, '[message body: 70,000 bytes]', 'constant.other.message-body-summary');
    const [bare = ''] = wire('S', '+OK hi\n');
    expectScope(bare, ' [bare LF]', 'invalid.deprecated.framing');
    const [ctl = ''] = wire('S', '+OK \x01 hi\r\n');
    expectScope(ctl, '\\x01', 'constant.character.escape');
    expectScope('C: a5 APPEND INBOX {310}', '{310}', 'constant.numeric.literal-length');
  });
});
