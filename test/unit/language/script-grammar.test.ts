// The session-script grammars: every regex compiles in JavaScript (the subset Oniguruma shares),
// the protocol grammars include the shared one, and sample lines get the intended scopes. A small
// TextMate-like scanner (earliest match wins, then rule order) stands in for vscode-textmate.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
  repository?: Record<string, Rule>;
}

const dir = join(__dirname, '../../../media/syntaxes');
const load = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Grammar;
const grammar = load('mailwire-script.tmLanguage.json');

function flatten(rules: Rule[]): Rule[] {
  const out: Rule[] = [];
  for (const rule of rules) {
    if (rule.include) {
      const target = grammar.repository?.[rule.include.replace(/^#/, '')];
      assert.ok(target, `include ${rule.include} exists`);
      out.push(...flatten(target.patterns ?? [target]));
    } else if (rule.match) out.push(rule);
    else assert.fail(`rule without match or include: ${JSON.stringify(rule)}`);
  }
  return out;
}

const compiled = flatten(grammar.patterns).map((rule) => ({ rule, re: new RegExp(rule.match ?? '', 'dg') }));

function scopes(line: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let pos = 0;
  while (pos < line.length) {
    let best: { m: RegExpExecArray; rule: Rule } | undefined;
    for (const { rule, re } of compiled) {
      re.lastIndex = pos;
      const m = re.exec(line);
      if (m && m[0] !== '' && (!best || m.index < best.m.index)) best = { m, rule };
    }
    if (!best) break;
    const { m, rule } = best;
    if (rule.name) out.push([m[0], rule.name]);
    for (const [group, capture] of Object.entries(rule.captures ?? {})) {
      const text = m[Number(group)];
      if (text !== undefined && text !== '') out.push([text, capture.name]);
    }
    pos = m.index + m[0].length;
  }
  return out;
}

const scopeOf = (line: string, text: string) => scopes(line).find(([t]) => t === text)?.[1];

describe('session script grammars', () => {
  test('the protocol grammars include the shared script grammar', () => {
    for (const p of ['imap', 'pop3', 'smtp']) {
      const g = load(`mailwire-${p}.tmLanguage.json`);
      assert.equal(g.scopeName, `source.mailwire-${p}`);
      assert.deepEqual(g.patterns, [{ include: 'source.mailwire-script' }]);
    }
  });

  test('directives, URLs, comments and settings', () => {
    assert.equal(
      scopeOf('@connect imap://127.0.0.1:1143', '@connect'),
      'keyword.control.directive.mailwire-script',
    );
    assert.equal(
      scopeOf('@connect imap://127.0.0.1:1143', 'imap://127.0.0.1:1143'),
      'markup.underline.link.url.mailwire-script',
    );
    assert.equal(scopeOf('@set subject story time', 'subject'), 'variable.other.definition.mailwire-script');
    assert.equal(scopeOf('@timeout 5s', '5s'), 'constant.numeric.duration.mailwire-script');
    assert.equal(
      scopeOf('@tls accept-unverified', 'accept-unverified'),
      'constant.language.setting.mailwire-script',
    );
    assert.equal(scopeOf('@frob x', '@frob'), 'invalid.illegal.directive.mailwire-script');
    assert.equal(
      scopeOf('# a comment {{x}}', '# a comment {{x}}'),
      'comment.line.number-sign.mailwire-script',
    );
  });

  test('client lines: IMAP tags and verbs, SMTP and POP3 verbs, variables and secrets', () => {
    const imap = 'C: a3 UID FETCH {{count}} (FLAGS)';
    assert.equal(scopeOf(imap, 'C:'), 'storage.type.direction.client.mailwire-script');
    assert.equal(scopeOf(imap, 'a3'), 'entity.name.tag.imap.mailwire-script');
    assert.equal(scopeOf(imap, 'UID FETCH'), 'keyword.other.verb.mailwire-script');
    assert.equal(scopeOf(imap, 'count'), 'variable.other.readwrite.mailwire-script');
    assert.equal(scopeOf('C: MAIL FROM:<bob@example.test>', 'MAIL'), 'keyword.other.verb.mailwire-script');
    assert.equal(scopeOf('C: USER alice', 'USER'), 'keyword.other.verb.mailwire-script');
    assert.equal(scopeOf('C: USER alice', 'alice'), undefined);
    const secret = 'C: a1 LOGIN alice {{$secret alice}}';
    assert.equal(scopeOf(secret, '$secret'), 'support.function.template.mailwire-script');
    assert.equal(scopeOf(secret, 'alice}}'), undefined);
  });

  test('expectations: status words by outcome, regexes, blocks', () => {
    assert.equal(scopeOf('S: 250', '250'), 'markup.inserted.status.positive.mailwire-script');
    assert.equal(scopeOf('S: 354', '354'), 'string.other.status.intermediate.mailwire-script');
    assert.equal(scopeOf('S: 550 5.1.1', '550'), 'markup.deleted.status.negative.mailwire-script');
    assert.equal(scopeOf('S: +OK', '+OK'), 'markup.inserted.status.positive.mailwire-script');
    assert.equal(scopeOf('S: -ERR', '-ERR'), 'markup.deleted.status.negative.mailwire-script');
    assert.equal(scopeOf('S: a1 NO', 'NO'), 'markup.deleted.status.negative.mailwire-script');
    assert.equal(scopeOf('S: * OK', 'OK'), 'markup.inserted.status.positive.mailwire-script');
    const re = 'S: /^\\* (?<count>\\d+) EXISTS/';
    assert.equal(scopeOf(re, '/^\\* (?<count>\\d+) EXISTS/'), 'string.regexp.mailwire-script');
    assert.equal(scopeOf('<<< @file body.eml', 'body.eml'), 'string.unquoted.path.mailwire-script');
    assert.equal(scopeOf('>>>', '>>>'), 'punctuation.section.block.end.mailwire-script');
  });
});
