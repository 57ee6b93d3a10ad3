// Script problems at the right line: syntax errors from the parser, failed expectations and
// errors from a real run against the sandbox; inline results; Test Explorer items; the reduced
// scripts behind "Run to here" and "Run line".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inlineResults, runProblems, syntaxProblems } from '../../../src/language/diagnostics.js';
import {
  commandAt,
  scriptForLine,
  scriptTestItems,
  scriptToLine,
  testStatuses,
} from '../../../src/language/script-parts.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/launcher.js';
import { parseScript } from '../../../src/script/parser.js';
import { runScript } from '../../../src/script/runner.js';
import { createSessionTarget } from '../../../src/session/script-target.js';

describe('syntax problems', () => {
  test('each parser error is reported at its line and columns', () => {
    const text = [
      '@connect imap://127.0.0.1:1143',
      'c: a1 NOOP',
      '@timeout soon',
      'S: /unclosed(/',
      'C: a2 NOOP',
    ].join('\n');
    const problems = syntaxProblems(text, 'x.imap');
    assert.deepEqual(
      problems.map((p) => [p.line, p.column, p.severity]),
      [
        [2, 1, 'error'],
        [3, 10, 'error'],
        [4, 4, 'error'],
      ],
    );
    assert.match(problems[0]?.message ?? '', /did you mean C:/);
    assert.match(problems[1]?.message ?? '', /invalid @timeout "soon"/);
    assert.deepEqual(syntaxProblems('@connect imap://127.0.0.1:1143\nC: a1 NOOP\nS: a1 OK\n', 'x.imap'), []);
  });
});

describe('a run against the sandbox', () => {
  let sandbox: RunningSandbox;
  let certDir: string;
  before(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'mailwire-language-'));
    sandbox = await startSandbox({
      ports: { smtp: 0, smtps: 0, pop3: 0, pop3s: 0, imap: 0, imaps: 0 },
      certDir,
    });
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(certDir, { recursive: true, force: true });
  });

  const scriptText = (imapPort: number, pop3Port: number) =>
    [
      '@timeout 5s', // 1
      `@connect imap://127.0.0.1:${imapPort}`, // 2
      'S: * OK', // 3
      'C: a1 LOGIN alice alice-password', // 4
      'S: a1 OK', // 5
      'C: a2 SELECT INBOX', // 6
      'S: a2 NO', // 7  fails: SELECT INBOX succeeds
      'C: a3 NOOP', // 8  skipped
      'S: a3 OK', // 9
      `@connect pop3://127.0.0.1:${pop3Port}`, // 10
      'S: +OK', // 11
      'C: USER alice', // 12
      'S: +OK', // 13
      'C: PASS alice-password', // 14
      'S: +OK', // 15
      'C: STAT', // 16
      'S: +OK', // 17
      'C: QUIT', // 18
      'S: +OK', // 19
    ].join('\n');

  test('failed expectations become problems at their S: line; inline results mark every S: line', async () => {
    const text = scriptText(sandbox.ports.imap, sandbox.ports.pop3);
    const { script, diagnostics } = parseScript(text, { fileName: 'story.mailwire' });
    assert.deepEqual(diagnostics, []);
    const result = await runScript(script, createSessionTarget());
    const lines = text.split('\n');
    const problems = runProblems(result, (n) => lines[n - 1]?.length ?? 0);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0]?.line, 7);
    assert.equal(problems[0]?.column, 4);
    assert.match(
      problems[0]?.message ?? '',
      /expectation failed: S: a2 NO: expected a line starting with "a2 NO", got: .*EXISTS/s,
    );

    const inline = inlineResults(result);
    assert.deepEqual(
      inline.map((r) => [r.line, r.status]),
      [
        [3, 'passed'],
        [5, 'passed'],
        [7, 'failed'],
        [9, 'skipped'],
        [11, 'passed'],
        [13, 'passed'],
        [15, 'passed'],
        [17, 'passed'],
        [19, 'passed'],
      ],
    );

    const statuses = testStatuses(result);
    assert.equal(statuses.get('connect:2')?.status, 'failed');
    assert.equal(statuses.get('connect:2')?.line, 6, 'the failure points at the failing step');
    assert.equal(statuses.get('expect:7')?.status, 'failed');
    assert.equal(statuses.get('connect:10')?.status, 'passed');
  });

  test('a connection error is a problem on its @connect line', async () => {
    const text = '@timeout 2s\n@connect imap://127.0.0.1:1\nS: * OK\n';
    const { script } = parseScript(text, { fileName: 'x.imap' });
    const result = await runScript(script, createSessionTarget());
    const problems = runProblems(result, (n) => text.split('\n')[n - 1]?.length ?? 0);
    assert.ok(
      problems.some((p) => p.line === 2 && /@connect/.test(p.message)),
      JSON.stringify(problems),
    );
  });

  test('"Run to here" stops after the step on the line; its run sends nothing after it', async () => {
    const text = scriptText(sandbox.ports.imap, sandbox.ports.pop3);
    const { script } = parseScript(text, { fileName: 'story.mailwire' });
    const partial = scriptToLine(script, 5);
    assert.equal(partial.connections.length, 1);
    assert.deepEqual(
      partial.connections[0]?.steps.map((s) => s.span.line),
      [4],
    );
    const result = await runScript(partial, createSessionTarget());
    assert.equal(result.status, 'passed');
    assert.deepEqual(
      result.connections[0]?.steps.map((s) => [s.kind, s.status]),
      [
        ['connect', 'passed'],
        ['greeting', 'passed'],
        ['command', 'passed'],
      ],
    );
    assert.equal(result.connections[0]?.steps[2]?.title, 'a1 LOGIN alice alice-password');
  });

  test('"Run line" runs the @connect block with only that command', async () => {
    const text = scriptText(sandbox.ports.imap, sandbox.ports.pop3);
    const { script } = parseScript(text, { fileName: 'story.mailwire' });
    assert.equal(commandAt(script, 17)?.step.span.line, 16, 'an S: line belongs to its command');
    const one = scriptForLine(script, 16);
    assert.ok(one);
    assert.equal(one.connections.length, 1);
    assert.deepEqual(
      one.connections[0]?.steps.map((s) => s.span.line),
      [16],
    );
    // STAT before login fails on a real server: the line really ran alone.
    const result = await runScript(one, createSessionTarget());
    const stat = result.connections[0]?.steps.find((s) => s.line === 16);
    assert.equal(stat?.status, 'failed');
    assert.match(stat?.reply.join('\n') ?? '', /^-ERR/);
    assert.equal(scriptForLine(script, 1), undefined, 'a settings line is not a command');
  });

  test('Test Explorer items: one per @connect with its expectations and line ranges', () => {
    const { script } = parseScript(scriptText(1, 2), { fileName: 'story.mailwire' });
    const items = scriptTestItems(script);
    assert.deepEqual(
      items.map((i) => [i.id, i.line, i.endLine, i.children.length]),
      [
        ['connect:2', 2, 9, 4],
        ['connect:10', 10, 19, 5],
      ],
    );
    assert.equal(items[0]?.children[0]?.label, 'S: * OK  (greeting)');
    assert.equal(items[0]?.children[2]?.label, 'S: a2 NO  (a2 SELECT INBOX)');
  });
});
