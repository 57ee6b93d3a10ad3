// Benchmark: building and live-updating a transcript document for 200,000 events.
// Run: node --import tsx test/bench/transcript-document.ts
// Simulates a fast server: events arrive in bursts, and every 100 ms "tick" the editor re-reads
// the text (what the content provider does after a batched change event).
import { emitRows } from './report.js';
import { Transcript } from '../../src/transcript/transcript.js';
import { DEFAULT_LIVE_LINES, TranscriptText, type Scheduler } from '../../src/vscode/transcript-text.js';

const EVENTS = 200_000;
const EVENTS_PER_TICK = 2_000; // a server sending 20,000 lines per second

const lines = [
  '* 1234 FETCH (UID 99881 FLAGS (\\Seen) RFC822.SIZE 4411)\r\n',
  'a12 OK [READ-WRITE] SELECT completed\r\n',
  '250-PIPELINING\r\n',
];
/** Records event `i` the way a session does: a note now and then, else a line either way. */
function record(transcript: Transcript, i: number): void {
  if (i % 50 === 0) transcript.note(`note ${i}`, 'info');
  else
    transcript.recordWire(
      Date.now(),
      i % 7 === 0 ? 'C' : 'S',
      Buffer.from(lines[i % lines.length] ?? ''),
      0,
      i,
      undefined,
    );
}

let due: (() => void) | undefined;
const scheduler: Scheduler = {
  set: (fn) => {
    due = fn;
    return 1;
  },
  clear: () => {
    due = undefined;
  },
};

let longestAppend = 0;
let reads = 0;
let chars = 0;
let readTime = 0;
let longestRead = 0;
// The document as shipped: the live view keeps the newest DEFAULT_LIVE_LINES lines.
const text = new TranscriptText([], {
  scheduler,
  maxLines: DEFAULT_LIVE_LINES,
  onChange: () => {
    const t0 = performance.now();
    // The provider hands the whole text to the editor, which needs it flat: reading a character
    // makes V8 flatten the rope, so this measures that copy too.
    const whole = text.text();
    whole.charCodeAt(whole.length - 1);
    chars = whole.length;
    const took = performance.now() - t0;
    readTime += took;
    longestRead = Math.max(longestRead, took);
    reads++;
  },
});

// Events are recorded into a transcript as they arrive and reach the document through its
// listener, as in a session (transcript-documents.ts subscribes the same way).
let clock = 1_700_000_000_000;
const transcript = new Transcript({ protocol: 'imap', target: 'imap://127.0.0.1:143', now: () => clock++ });
transcript.subscribe((e) => {
  const t0 = performance.now();
  text.append(e);
  const took = performance.now() - t0;
  longestAppend = Math.max(longestAppend, took);
});

let longestTick = 0;
let longestWarmTick = 0;
const WARM_EVENTS = 2 * EVENTS_PER_TICK;
const start = performance.now();
for (let i = 0; i < EVENTS; i += EVENTS_PER_TICK) {
  const tickStart = performance.now();
  for (let j = i; j < Math.min(EVENTS, i + EVENTS_PER_TICK); j++) {
    record(transcript, j + 1);
  }
  const fire = due;
  due = undefined;
  fire?.();
  const tick = performance.now() - tickStart;
  longestTick = Math.max(longestTick, tick);
  // The first ticks run cold code (interpreted, not yet optimized): reported apart as well.
  if (i >= WARM_EVENTS) longestWarmTick = Math.max(longestWarmTick, tick);
}
const total = performance.now() - start;

const rebuildStart = performance.now();
text.rerender(transcript.events, { timestamps: false });
const rebuilt = text.text().length;
const rebuild = performance.now() - rebuildStart;

console.log(`events:                       ${EVENTS.toLocaleString('en-US')}`);
console.log(`live window:                  newest ${DEFAULT_LIVE_LINES.toLocaleString('en-US')} lines`);
console.log(
  `lines:                        ${text.lineCount.toLocaleString('en-US')}, ${(chars / 1e6).toFixed(1)} M characters`,
);
console.log(`live updates (text re-reads): ${reads}`);
console.log(`total live time:              ${total.toFixed(0)} ms`);
console.log(
  `longest single update:        ${longestTick.toFixed(1)} ms (2,000 appends + one full text read)`,
);
console.log(
  `longest after the first ${WARM_EVENTS.toLocaleString('en-US')} events (warm code): ${longestWarmTick.toFixed(1)} ms`,
);
console.log(
  `text reads:                   ${readTime.toFixed(0)} ms in all, longest ${longestRead.toFixed(1)} ms`,
);
console.log(`longest single append:        ${longestAppend.toFixed(2)} ms`);
console.log(
  `full rebuild (timestamps off): ${rebuild.toFixed(0)} ms, ${(rebuilt / 1e6).toFixed(1)} M characters`,
);
emitRows([
  { name: `transcript: ${EVENTS.toLocaleString('en-US')} events, total live time`, value: total, unit: 'ms' },
  {
    name: `transcript: longest single update (live window ${DEFAULT_LIVE_LINES.toLocaleString('en-US')} lines)`,
    value: longestTick,
    unit: 'ms',
    target: '< 50',
    met: longestTick < 50,
  },
  {
    name: `transcript: longest update after the first ${WARM_EVENTS.toLocaleString('en-US')} events`,
    value: longestWarmTick,
    unit: 'ms',
  },
  { name: 'transcript: full rebuild', value: rebuild, unit: 'ms' },
]);
