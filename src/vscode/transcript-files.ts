// What "Save Transcript..." writes: the rendered text and the JSON Lines file beside it.
// Plain module; the extension does the file I/O.
import type { TranscriptEvent } from '../transcript/events.js';
import { eventToJson, type TranscriptHeader } from '../transcript/jsonl.js';

export interface TranscriptSource {
  readonly events: readonly TranscriptEvent[];
  readonly started: number;
  readonly options: { readonly protocol: string; readonly target: string };
}

/** The JSON Lines text: header line, then one event per line (bytes are already redacted). */
export function transcriptJsonl(source: TranscriptSource): string {
  const header: TranscriptHeader = {
    mailwire: 1,
    protocol: source.options.protocol,
    target: source.options.target,
    started: source.started,
  };
  const lines = [JSON.stringify(header)];
  for (const event of source.events) lines.push(eventToJson(event));
  return lines.join('\n') + '\n';
}

/** The two file paths for a chosen save path: `x.transcript.txt` gives `x.transcript.jsonl`. */
export function savePaths(chosen: string): { text: string; jsonl: string } {
  const base = chosen.replace(/\.(txt|log|jsonl)$/i, '');
  const text = /\.(txt|log)$/i.test(chosen) ? chosen : `${base}.txt`;
  return { text, jsonl: `${base}.jsonl` };
}
