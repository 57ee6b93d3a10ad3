// Benchmark: building and live-updating a transcript document for 200,000 events.
// Run: node --import tsx test/bench/transcript-document.ts
// Simulates a fast server: events arrive in bursts, and every 100 ms "tick" the editor re-reads
// the text (what the content provider does after a batched change event).
import { emitRows } from './report.js';
import type { TranscriptEvent } from '../../src/transcript/events.js';
import { DEFAULT_LIVE_LINES, TranscriptText, type Scheduler } from '../../src/vscode/transcript-text.js';

const EVENTS = 200_000;
const EVENTS_PER_TICK = 2_000; // a server sending 20,000 lines per second

const lines = [
  '* 1234 FETCH (UID 99881 FLAGS (\\Seen) RFC822.SIZE 4411)\r\n',
  'a12 OK [READ-WRITE] SELECT completed\r\n',
  '250-PIPELINING\r\n',
];
function event(i: number): TranscriptEvent {
  if (i % 50 === 0)
    return { seq: i, time: 1_700_000_000_000 + i, dir: 'L', level: 'info', kind: 'info', text: `note ${i}` };
  return {
    seq: i,
    time: 1_700_000_000_000 + i,
    dir: i % 7 === 0 ? 'C' : 'S',
    bytes: Buffer.from(lines[i % lines.length] ?? ''),
  };
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

// Events come into existence as they arrive and the transcript keeps them all, as in a session.
// (Creating all 200,000 up front made the first scavenges inside the timed loop promote them:
// pauses of 30-60 ms that belong to the set-up, not to the document.)
const events: TranscriptEvent[] = [];

let longestTick = 0;
let longestAppend = 0;
const start = performance.now();
for (let i = 0; i < EVENTS; i += EVENTS_PER_TICK) {
  const tickStart = performance.now();
  for (let j = i; j < Math.min(EVENTS, i + EVENTS_PER_TICK); j++) {
    const arrived = event(j + 1);
    events.push(arrived);
    const t0 = performance.now();
    text.append(arrived);
    longestAppend = Math.max(longestAppend, performance.now() - t0);
  }
  const fire = due;
  due = undefined;
  fire?.();
  longestTick = Math.max(longestTick, performance.now() - tickStart);
}
const total = performance.now() - start;

const rebuildStart = performance.now();
text.rerender(events, { timestamps: false });
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
  { name: 'transcript: full rebuild', value: rebuild, unit: 'ms' },
]);
