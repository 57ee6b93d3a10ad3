// Activation registers the palette verbs from package.json instead of the verb table: the two
// must name the same commands, with the labels the table gives them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORY, commandId, VERBS } from '../../../src/verbs/catalog.js';
import { manifestVerbCommands } from '../../../src/vscode/verb-manifest.js';

const pkg: unknown = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));

describe('palette verbs from the manifest', () => {
  test('are the verbs of the verb table, in order, labelled by category and title', () => {
    assert.deepEqual(
      manifestVerbCommands(pkg),
      VERBS.map((spec) => ({ command: commandId(spec), label: `${CATEGORY[spec.protocol]}: ${spec.title}` })),
    );
  });

  test('leave out the other commands and tolerate a manifest without commands', () => {
    const commands = manifestVerbCommands({
      contributes: {
        commands: [
          { command: 'mailwire.connect', title: 'Connect...', category: 'Mailwire' },
          { command: 'mailwire.pop3.stat', title: 'Stat', category: 'POP3' },
          { command: 'mailwire.imap.broken' },
        ],
      },
    });
    assert.deepEqual(commands, [{ command: 'mailwire.pop3.stat', label: 'POP3: Stat' }]);
    assert.deepEqual(manifestVerbCommands({}), []);
    assert.deepEqual(manifestVerbCommands(undefined), []);
  });
});
