// The extension manifest (package.json "contributes"): what VS Code reads before any code runs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERBS } from '../../../src/verbs/catalog.js';
import { VERB_COMMAND, verbCommands, verbPaletteEntries } from '../../../src/verbs/manifest.js';

const root = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  activationEvents?: string[];
  capabilities?: {
    untrustedWorkspaces?: { supported?: unknown; description?: unknown; restrictedConfigurations?: string[] };
  };
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    menus: Record<string, Array<{ command: string; when?: string }>>;
    views: Record<string, Array<{ id: string; name: string }>>;
    viewsContainers: { activitybar: Array<{ id: string; icon: string }> };
    configuration: {
      properties: Record<string, { type: string; description?: string; markdownDescription?: string }>;
    };
    languages: Array<{ id: string; extensions?: string[]; configuration?: string }>;
    grammars: Array<{ language: string; path: string; scopeName: string }>;
  };
};
const c = pkg.contributes;

describe('package.json contributions', () => {
  test('activation is never "*" and untrusted workspaces are supported in a limited way', () => {
    assert.ok(!(pkg.activationEvents ?? []).some((e) => e === '*' || e === 'onStartupFinished'));
    const u = pkg.capabilities?.untrustedWorkspaces;
    assert.equal(u?.supported, 'limited');
    assert.equal(typeof u?.description, 'string');
    assert.deepEqual(u?.restrictedConfigurations?.sort(), [
      'mailwire.connections',
      'mailwire.transcript.directory',
    ]);
  });

  test('the required commands exist with category Mailwire, and each one is registered', () => {
    const titles = c.commands.map((x) => x.title);
    for (const t of [
      'New Connection...',
      'Connect...',
      'Disconnect',
      'Open Transcript',
      'Save Transcript...',
      'Send Line...',
      'Forget Saved Password',
      'Start Sandbox Server',
      'Stop Sandbox Server',
    ])
      assert.ok(titles.includes(t), t);
    // register.ts, plus the script and language commands it registers through language-register.ts.
    const registered = ['src/vscode/register.ts', 'src/vscode/language-register.ts']
      .map((f) => readFileSync(join(root, f), 'utf8'))
      .join('\n');
    for (const cmd of c.commands) {
      // Palette verbs are registered from the verb table (checked below).
      if (VERB_COMMAND.test(cmd.command)) continue;
      assert.equal(cmd.category, 'Mailwire', cmd.command);
      assert.ok(registered.includes(`'${cmd.command}'`), `${cmd.command} is registered in register.ts`);
    }
    const ids = new Set(c.commands.map((x) => x.command));
    for (const [menu, items] of Object.entries(c.menus))
      for (const item of items) assert.ok(ids.has(item.command), `${menu}: ${item.command} is contributed`);
  });

  test('the view container, its icon and the Sessions view', () => {
    const container = c.viewsContainers.activitybar.find((v) => v.id === 'mailwire');
    assert.ok(container && existsSync(join(root, container.icon)));
    assert.deepEqual(
      c.views['mailwire']?.map((v) => [v.id, v.name]),
      [['mailwire.sessions', 'Sessions']],
    );
  });

  test('settings have types and descriptions', () => {
    for (const key of [
      'mailwire.connections',
      'mailwire.transcript.timestamps',
      'mailwire.transcript.directory',
    ]) {
      const p = c.configuration.properties[key];
      assert.ok(p, key);
      assert.ok(p.description ?? p.markdownDescription, `${key} has a description`);
    }
    assert.equal(c.configuration.properties['mailwire.transcript.timestamps']?.type, 'boolean');
  });

  test('the transcript language has no file extension and its grammar and configuration exist', () => {
    const lang = c.languages.find((l) => l.id === 'mailwire-transcript');
    assert.ok(lang);
    assert.equal(lang.extensions, undefined);
    assert.ok(lang.configuration && existsSync(join(root, lang.configuration)));
    const g = c.grammars.find((x) => x.language === 'mailwire-transcript');
    assert.ok(g && existsSync(join(root, g.path)));
    const grammar = JSON.parse(readFileSync(join(root, g.path), 'utf8')) as { scopeName: string };
    assert.equal(grammar.scopeName, g.scopeName);
  });

  test('every palette verb is contributed with its category and a when clause for its valid states', () => {
    const contributed = c.commands.filter((x) => VERB_COMMAND.test(x.command));
    assert.deepEqual(
      contributed.map((x) => ({ command: x.command, title: x.title, category: x.category })),
      verbCommands(),
      'package.json lists the verb table (run `npm run manifest`)',
    );
    const palette = (c.menus.commandPalette ?? []).filter((x) => VERB_COMMAND.test(x.command));
    assert.deepEqual(palette, verbPaletteEntries(), 'commandPalette when clauses match the table');
    assert.equal(new Set(VERBS.map((v) => v.id)).size, VERBS.length, 'verb ids are unique');
    for (const category of ['IMAP', 'POP3', 'SMTP'])
      assert.ok(contributed.filter((x) => x.category === category).length >= 10, category);
    // Registered from the table in one place, not one by one.
    assert.match(readFileSync(join(root, 'src/vscode/register.ts'), 'utf8'), /registerVerbCommands\(/);
  });

  test("the issue's verbs are all in the palette", () => {
    const titles = new Set(c.commands.map((x) => `${x.category ?? ''}: ${x.title}`));
    const required = [
      'IMAP: Login...',
      'IMAP: Authenticate...',
      'IMAP: Capability',
      'IMAP: Namespace',
      'IMAP: ID...',
      'IMAP: Enable...',
      'IMAP: List...',
      'IMAP: Lsub...',
      'IMAP: Status...',
      'IMAP: Select...',
      'IMAP: Examine...',
      'IMAP: Create...',
      'IMAP: Delete...',
      'IMAP: Rename...',
      'IMAP: Subscribe...',
      'IMAP: Fetch...',
      'IMAP: Search...',
      'IMAP: Store Flags...',
      'IMAP: Copy...',
      'IMAP: Move...',
      'IMAP: Expunge',
      'IMAP: Append File...',
      'IMAP: Idle',
      'IMAP: Done',
      'IMAP: Close',
      'IMAP: Unselect',
      'IMAP: Noop',
      'IMAP: Logout',
      'POP3: User/Pass...',
      'POP3: APOP...',
      'POP3: Auth...',
      'POP3: Capa',
      'POP3: STLS',
      'POP3: Stat',
      'POP3: List...',
      'POP3: Uidl...',
      'POP3: Top...',
      'POP3: Retr...',
      'POP3: Dele...',
      'POP3: Rset',
      'POP3: Noop',
      'POP3: Quit',
      'SMTP: EHLO...',
      'SMTP: HELO...',
      'SMTP: STARTTLS',
      'SMTP: AUTH...',
      'SMTP: MAIL FROM...',
      'SMTP: RCPT TO...',
      'SMTP: DATA...',
      'SMTP: BDAT...',
      'SMTP: RSET',
      'SMTP: VRFY...',
      'SMTP: EXPN...',
      'SMTP: NOOP',
      'SMTP: QUIT',
      'SMTP: Send Test Message...',
    ];
    for (const t of required) assert.ok(titles.has(t), t);
  });
});

describe('script languages, grammars and the walkthrough', () => {
  const raw = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes: {
      walkthroughs?: Array<{
        id: string;
        steps: Array<{
          id: string;
          title: string;
          media: { markdown?: string };
          completionEvents?: string[];
        }>;
      }>;
    };
  };

  test('.imap, .pop3, .smtp and .mailwire are languages with a configuration and a grammar that exist', () => {
    for (const [id, ext] of [
      ['mailwire-imap', '.imap'],
      ['mailwire-pop3', '.pop3'],
      ['mailwire-smtp', '.smtp'],
      ['mailwire-script', '.mailwire'],
    ] as const) {
      const lang = c.languages.find((l) => l.id === id);
      assert.deepEqual(lang?.extensions, [ext], id);
      assert.ok(lang?.configuration && existsSync(join(root, lang.configuration)), `${id} configuration`);
      const g = c.grammars.find((x) => x.language === id);
      assert.ok(g && existsSync(join(root, g.path)), `${id} grammar`);
      const grammar = JSON.parse(readFileSync(join(root, g.path), 'utf8')) as { scopeName: string };
      assert.equal(grammar.scopeName, g.scopeName);
    }
  });

  test('the script and language commands are contributed', () => {
    const ids = new Set(c.commands.map((x) => x.command));
    for (const id of [
      'mailwire.runScript',
      'mailwire.runScriptToLine',
      'mailwire.runScriptLine',
      'mailwire.explainLine',
      'mailwire.saveTranscriptAsScript',
    ])
      assert.ok(ids.has(id), id);
  });

  test('the walkthrough: five steps with pages that exist, completed by contributed commands', () => {
    const w = raw.contributes.walkthroughs?.find((x) => x.id === 'mailwire.learn');
    assert.ok(w, 'the mailwire.learn walkthrough');
    assert.deepEqual(
      w.steps.map((s) => s.id),
      ['sandbox', 'smtp', 'pop3', 'imap', 'tls'],
    );
    const ids = new Set(c.commands.map((x) => x.command));
    for (const step of w.steps) {
      assert.ok(step.media.markdown && existsSync(join(root, step.media.markdown)), `${step.id} page`);
      assert.ok(step.completionEvents?.length, `${step.id} has completion events`);
      for (const e of step.completionEvents ?? []) {
        const m = /^onCommand:(.+)$/.exec(e);
        assert.ok(m?.[1] && ids.has(m[1]), `${step.id}: ${e} names a contributed command`);
      }
    }
    assert.ok(w.steps[0]?.completionEvents?.includes('onCommand:mailwire.startSandbox'));
  });
});
