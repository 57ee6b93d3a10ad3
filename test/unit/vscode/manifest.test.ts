// The extension manifest (package.json "contributes"): what VS Code reads before any code runs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
    const registered = readFileSync(join(root, 'src/vscode/register.ts'), 'utf8');
    for (const cmd of c.commands) {
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
});
