import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  expand,
  ExpansionError,
  redact,
  envSecretProvider,
  type VariableValue,
} from '../../../src/script/expand.js';
import { parseScript } from '../../../src/script/parser.js';
import type { CommandStep, Template } from '../../../src/script/ast.js';

/** The template of the first C: line of `@connect imap://h` + line. */
function template(line: string): Template {
  const { script } = parseScript(`@set user alice\n@connect imap://h\nC: ${line}\n`, { fileName: 't.imap' });
  return (script.connections[0]?.steps[0] as CommandStep).text;
}

const vars = (): Map<string, VariableValue> => new Map([['user', { value: 'alice', secrets: [] }]]);

describe('expansion', () => {
  test('variables, environment and secrets are substituted; $env and $secret values are reported as secrets', async () => {
    const r = await expand(template('a1 LOGIN {{user}} {{$env PW}} {{ $secret token }}'), {
      variables: vars(),
      env: { PW: 'hunter2' },
      secrets: { get: (n) => Promise.resolve(n === 'token' ? 's3cr3t' : undefined) },
    });
    assert.equal(r.text, 'a1 LOGIN alice hunter2 s3cr3t');
    assert.deepEqual([...r.secrets].sort(), ['hunter2', 's3cr3t']);
  });

  test('a variable set from a secret stays secret', async () => {
    const r = await expand(template('a1 LOGIN alice {{user}}'), {
      variables: new Map([['user', { value: 'pw', secrets: ['pw'] }]]),
      env: {},
    });
    assert.deepEqual(r.secrets, ['pw']);
  });

  test('unset variable, env var and secret are errors naming the line, never the value', async () => {
    const t = parseScript('@connect imap://h\nC: a1 {{nope}}\n', { fileName: 'x' }).script.connections[0]
      ?.steps[0] as CommandStep;
    await assert.rejects(expand(t.text, { variables: new Map(), env: {} }), (e: unknown) => {
      assert.ok(e instanceof ExpansionError);
      assert.equal(e.message, 'undefined variable {{nope}} at line 2 (set by @set or a named group)');
      assert.equal(e.span.column, 7);
      return true;
    });
    await assert.rejects(
      expand(template('x {{$env MISSING}}'), { variables: vars(), env: {} }),
      /environment variable MISSING is not set \(line 3\)/,
    );
    await assert.rejects(
      expand(template('x {{$secret pw}}'), { variables: vars(), env: {} }),
      /no secret store/,
    );
    await assert.rejects(
      expand(template('x {{$secret pw}}'), {
        variables: vars(),
        env: {},
        secrets: { get: () => Promise.resolve(undefined) },
      }),
      /secret pw is not set/,
    );
    await assert.rejects(
      expand(template('x {{$secret pw}}'), {
        variables: vars(),
        env: {},
        secrets: { get: () => Promise.reject(new Error('store locked')) },
      }),
      /could not read secret pw \(line 3\): store locked/,
    );
  });

  test('redact replaces every occurrence, longest secret first', () => {
    assert.equal(
      redact('pass hunter2 and hunter2x', ['hunter2', 'hunter2x']),
      'pass <redacted> and <redacted>',
    );
    assert.equal(redact('nothing', ['']), 'nothing');
  });

  test('the CLI secret provider reads MAILWIRE_SECRET_<NAME>', async () => {
    const p = envSecretProvider({ MAILWIRE_SECRET_ALICE_PASSWORD: 'x' });
    assert.equal(await p.get('alice-password'), 'x');
    assert.equal(await p.get('other'), undefined);
  });
});
