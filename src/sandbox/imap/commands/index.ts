// The command table: verb (upper case, `UID FETCH` for UID forms) to its states and handler.

import type { CommandSpec } from '../context.js';
import { connectionCommands } from './connection.js';
import { fetchCommands } from './fetch.js';
import { mailboxCommands } from './mailboxes.js';
import { searchCommands } from './search.js';
import { selectedCommands } from './selected.js';

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  ...connectionCommands,
  ...mailboxCommands,
  ...selectedCommands,
  ...fetchCommands,
  ...searchCommands,
};
