// The fuzz tests of one protocol: codec cases (mutated recorded dialogues, fragments, random
// bytes), then a smaller share through a MailSession. Counts are printed as test diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Protocol } from '../../../src/protocol/types.js';
import {
  CODEC_RUNS,
  PROFILES,
  SESSION_RUNS,
  checkCodecRun,
  describeSteps,
  fuzzSteps,
  params,
} from './harness.js';
import { checkSessionRun, sessionCases } from './session-run.js';

export function defineFuzzTests(protocol: Protocol): void {
  const profile = PROFILES[protocol];
  const unhandled: unknown[] = [];
  process.on('unhandledRejection', (reason) => unhandled.push(reason));

  test(`${protocol}: ${CODEC_RUNS} malformed inputs straight into the codec`, (t) => {
    assert.ok(profile.dialogues.length > 0, 'recorded dialogues are there to mutate');
    const started = performance.now();
    let bytes = 0;
    fc.assert(
      fc.property(fuzzSteps(profile), (steps) => {
        try {
          bytes += checkCodecRun(profile, steps).received.length;
        } catch (error) {
          throw new Error(
            `${error instanceof Error ? error.message : String(error)}\n  case: ${describeSteps(steps)}`,
          );
        }
      }),
      params(CODEC_RUNS),
    );
    t.diagnostic(
      `${protocol} codec: ${CODEC_RUNS} cases, ${bytes} server bytes, ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  test(`${protocol}: ${SESSION_RUNS} malformed inputs through a session`, async (t) => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(sessionCases(profile), async (c) => {
        try {
          await checkSessionRun(profile, c);
        } catch (error) {
          throw new Error(
            `${error instanceof Error ? error.message : String(error)}\n  case: ${describeSteps(c.steps)}`,
          );
        }
      }),
      params(SESSION_RUNS),
    );
    // Rejections surface a turn later than the promise that failed.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
    t.diagnostic(
      `${protocol} session: ${SESSION_RUNS} cases, ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  });
}
