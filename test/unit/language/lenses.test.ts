// CodeLens places: one "Run Script" at the first line that does something, one pair per C: line,
// none inside a message body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lensPlaces } from '../../../src/language/lenses.js';

test('Run Script on the first real line, Run to Here / Run Line on each C: line, none in bodies', () => {
  const lines = [
    '# comment',
    '',
    '@connect smtp://127.0.0.1:2525',
    'S: 220',
    'C: DATA',
    '<<<',
    'C: this is body text, not a command',
    '>>>',
    '  C: QUIT',
    '<<< @file body.eml',
    'C: NOOP',
  ];
  assert.deepEqual(lensPlaces(lines), [
    { line: 2, kind: 'script' },
    { line: 4, kind: 'command' },
    { line: 8, kind: 'command' },
    { line: 10, kind: 'command' },
  ]);
  assert.deepEqual(lensPlaces(['', '# only comments']), []);
});

test('the shipped SMTP example gets a lens on every C: line it sends', () => {
  const text = readFileSync(join(__dirname, '../../../media/examples/sandbox-smtp-send.smtp'), 'utf8');
  const lines = text.split('\n');
  const commands = lensPlaces(lines)
    .filter((p) => p.kind === 'command')
    .map((p) => lines[p.line]);
  assert.deepEqual(commands, [
    'C: EHLO client.example',
    'C: MAIL FROM:<bob@example.test>',
    'C: RCPT TO:<alice@example.test>',
    'C: DATA',
    'C: QUIT',
  ]);
});
