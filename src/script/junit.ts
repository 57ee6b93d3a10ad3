// JUnit XML for CI: one <testsuite> per script file, one <testcase> per step (connect, greeting,
// each command). A failed expectation is a <failure>, a step that could not run is an <error>, a
// step after a stop is <skipped/>. Reply lines go to <system-out> of failed and errored steps.
// Results are already redacted by the runner; `secrets` redacts once more as a safety net.

import { basename } from 'node:path';
import { redact } from './expand.js';
import type { ConnectionResult, ScriptResult, Status, StepResult } from './result.js';

export interface JUnitOptions {
  /** Name of the <testsuites> element. Default `mailwire`. */
  readonly name?: string;
  /** Values to redact from every string, in addition to the runner's own redaction. */
  readonly secrets?: readonly string[];
}

/** Characters XML 1.0 cannot carry at all, even escaped; shown as `\u{..}` instead. */
const INVALID_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function clean(text: string, secrets: readonly string[]): string {
  return redact(text, secrets).replace(INVALID_XML, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(text: string): string {
  return escapeText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

interface Case {
  name: string;
  classname: string;
  status: Status;
  durationMs: number;
  message?: string;
  output: string;
}

function stepName(s: StepResult): string {
  switch (s.kind) {
    case 'connect':
      return `line ${s.line}: ${s.title}`;
    case 'greeting':
      return `line ${s.line}: greeting`;
    case 'set':
      return `line ${s.line}: ${s.title}`;
    case 'command':
      return `line ${s.line}: C: ${s.title}`;
  }
}

function casesOf(r: ScriptResult): Case[] {
  const file = basename(r.fileName);
  const cases: Case[] = [];
  if (r.message !== undefined) {
    cases.push({
      name: 'script',
      classname: file,
      status: 'error',
      durationMs: 0,
      message: r.message,
      output: '',
    });
  }
  r.connections.forEach((c: ConnectionResult) => {
    const classname = `${file} @connect ${c.url} (line ${c.line})`;
    for (const s of c.steps) {
      const failedExpectations = s.expectations.filter(
        (e) => e.status === 'failed' && e.message !== undefined,
      );
      const details = failedExpectations.map((e) => `line ${e.line}: S: ${e.source}\n  ${e.message ?? ''}`);
      cases.push({
        name: stepName(s),
        classname,
        status: s.status,
        durationMs: s.durationMs,
        ...(s.message !== undefined ? { message: s.message } : {}),
        output: [...details, ...(s.reply.length > 0 ? ['reply:', ...s.reply.map((l) => '  ' + l)] : [])].join(
          '\n',
        ),
      });
    }
  });
  return cases;
}

function count(cases: readonly Case[], status: Status): number {
  return cases.filter((c) => c.status === status).length;
}

function totals(cases: readonly Case[], durationMs: number): string {
  return (
    `tests="${cases.length}" failures="${count(cases, 'failed')}" errors="${count(cases, 'error')}" ` +
    `skipped="${count(cases, 'skipped')}" time="${seconds(durationMs)}"`
  );
}

/** JUnit XML for one or more script results. Never throws. */
export function toJUnitXml(
  results: ScriptResult | readonly ScriptResult[],
  options: JUnitOptions = {},
): string {
  const list: readonly ScriptResult[] = Array.isArray(results) ? results : [results as ScriptResult];
  const secrets = options.secrets ?? [];
  const a = (s: string): string => escapeAttr(clean(s, secrets));
  const t = (s: string): string => escapeText(clean(s, secrets));
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = list.map((r) => ({ r, cases: casesOf(r) }));
  const everything = all.flatMap((x) => x.cases);
  const totalMs = list.reduce((n, r) => n + r.durationMs, 0);
  out.push(`<testsuites name="${a(options.name ?? 'mailwire')}" ${totals(everything, totalMs)}>`);
  for (const { r, cases } of all) {
    out.push(`  <testsuite name="${a(r.fileName)}" ${totals(cases, r.durationMs)}>`);
    for (const c of cases) {
      const open = `    <testcase name="${a(c.name)}" classname="${a(c.classname)}" time="${seconds(c.durationMs)}"`;
      const body: string[] = [];
      if (c.status === 'failed') {
        body.push(
          `      <failure type="expectation" message="${a(c.message ?? 'failed')}">${t(c.output)}</failure>`,
        );
      } else if (c.status === 'error') {
        body.push(`      <error type="error" message="${a(c.message ?? 'error')}">${t(c.output)}</error>`);
      } else if (c.status === 'skipped') {
        body.push(`      <skipped message="not run: an earlier step did not pass"/>`);
      }
      if (body.length === 0) out.push(open + '/>');
      else out.push(open + '>', ...body, '    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
