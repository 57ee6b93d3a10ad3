// `mailwire convert TRANSCRIPT [-o SCRIPT]`: turns a saved transcript (rendered .txt or the
// .jsonl file) into a session script whose server lines are loose expectations, so a captured
// conversation can be replayed with `mailwire run`.
import { readFileSync, writeFileSync } from 'node:fs';
import { scriptFromTranscript } from '../script/from-transcript.js';
import { parseTranscriptJsonl } from '../transcript/jsonl.js';
import { renderEvents } from '../transcript/render.js';
import type { RunIo } from './run-command.js';

export const CONVERT_USAGE = `Usage: mailwire convert TRANSCRIPT [-o SCRIPT]

Turns a saved transcript (.txt as rendered, or the .jsonl file) into a session script. Server
lines become loose expectations (status words only); redacted secrets become {{$secret NAME}}.
Writes to standard output unless -o is given.
`;

export function convertCommand(args: string[], io: RunIo): number {
  if (args.includes('-h') || args.includes('--help')) {
    io.out(CONVERT_USAGE);
    return 0;
  }
  let output: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-o' || a === '--output') output = args[++i];
    else if (a.startsWith('-')) {
      io.err(`mailwire convert: unknown option ${a}\n`);
      return 2;
    } else files.push(a);
  }
  const [file] = files;
  if (!file || files.length > 1 || (args.includes('-o') && !output)) {
    io.err('mailwire convert: give exactly one transcript file (see mailwire convert --help)\n');
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    io.err(
      `mailwire convert: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  }
  if (file.endsWith('.jsonl')) {
    const parsed = parseTranscriptJsonl(text);
    for (const e of parsed.errors) io.err(`${file}: ${e}\n`);
    text = renderEvents(parsed.events);
  }
  const result = scriptFromTranscript(text);
  for (const w of result.warnings) io.err(`${file}: warning: ${w}\n`);
  if (output) writeFileSync(output, result.text);
  else io.out(result.text);
  return 0;
}
