// The session-script language: parse, run against a target, report.
export * from './ast.js';
export {
  parseScript,
  protocolFromFileName,
  hasErrors,
  type ParseOptions,
  type ParseResult,
} from './parser.js';
export * from './expand.js';
export * from './matcher.js';
export * from './target.js';
export * from './result.js';
export { runScript, type RunOptions } from './runner.js';
export { toJUnitXml, type JUnitOptions } from './junit.js';
export {
  scriptFromTranscript,
  type FromTranscriptOptions,
  type FromTranscriptResult,
} from './from-transcript.js';
export { parseConnectUrl, type ConnectTarget } from './url.js';
export { smtpDataBytes, imapLiteralLine } from './payload.js';
