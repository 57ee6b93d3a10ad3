// Writes the palette verb commands into package.json from the verb table (src/verbs/catalog.ts):
// one command per verb with its category, and a commandPalette `when` clause that shows it only
// in the states where it is valid. `npm run manifest` after changing a verb; a unit test fails
// when package.json and the table disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { VERB_COMMAND, verbCommands, verbPaletteEntries } from '../src/verbs/manifest.js';

interface Command {
  readonly command: string;
  readonly title: string;
  readonly category?: string;
}
interface MenuItem {
  readonly command: string;
  readonly when?: string;
}
interface Manifest {
  contributes: { commands: Command[]; menus: Record<string, MenuItem[]> };
  [key: string]: unknown;
}

async function update(path: string): Promise<boolean> {
  const text = readFileSync(path, 'utf8');
  const pkg = JSON.parse(text) as Manifest;
  const c = pkg.contributes;
  c.commands = [...c.commands.filter((x) => !VERB_COMMAND.test(x.command)), ...verbCommands()];
  const palette = c.menus.commandPalette ?? [];
  c.menus.commandPalette = [...palette.filter((x) => !VERB_COMMAND.test(x.command)), ...verbPaletteEntries()];
  // Formatted as `prettier --check` expects, so the check stays green after an update.
  const options = (await prettier.resolveConfig(path)) ?? {};
  const next = await prettier.format(JSON.stringify(pkg, null, 2), { ...options, filepath: path });
  if (next === text) return false;
  writeFileSync(path, next);
  return true;
}

update(join(__dirname, '..', 'package.json')).then(
  (changed) =>
    console.log(
      changed ? 'package.json: verb commands updated' : 'package.json: verb commands already current',
    ),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
