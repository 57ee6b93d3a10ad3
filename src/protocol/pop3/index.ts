// POP3 client codec: RFC 1939, CAPA and RESP-CODES (2449), STLS (2595), AUTH (5034), 3206 codes.
export { Pop3ClientCodec } from './codec.js';
export type { Pop3Event, Pop3Data, ClientError } from './events.js';
export type { Pop3State } from './states.js';
export { isValidIn, pop3Transition, POP3_TRANSITIONS } from './states.js';
export type { Pop3Capabilities } from './capa.js';
export { parseCapa } from './capa.js';
export type { RespCode, StatusLine } from './status.js';
export { parseStatusLine, apopTimestamp } from './status.js';
export type { ListEntry, UidlEntry } from './listings.js';
