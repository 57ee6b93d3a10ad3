// The IMAP client codec and its types.
export { ImapClientCodec } from './codec.js';
export type { ImapEvent } from './events.js';
export type { ImapState } from './state.js';
export type { ResponseCode, Status, UntaggedResponse, ParsedResponse, NamespaceEntry } from './response.js';
export { parseResponse } from './response.js';
export type {
  Address,
  Envelope,
  BodyStructure,
  MultipartBody,
  SinglePartBody,
  Disposition,
  FetchData,
  FetchSection,
} from './fetch.js';
export { ImapString, type Token } from './parser.js';
export {
  compileCommand,
  sequenceSet,
  parseSequenceSet,
  CompileError,
  type ImapArg,
  type SequenceSetInput,
} from './compiler.js';
export { encodeMailboxName, decodeMailboxName } from './mutf7.js';
