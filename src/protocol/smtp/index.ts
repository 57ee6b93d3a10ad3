// SMTP client codec: RFC 5321, enhanced status codes (3463), SIZE (1870), PIPELINING (2920),
// CHUNKING (3030), STARTTLS (3207), AUTH (4954), SMTPUTF8 (6531), REQUIRETLS (8689).
export { SmtpClientCodec } from './codec.js';
export type { SmtpEvent, ClientError } from './events.js';
export type { SmtpState } from './states.js';
export { smtpTransition, SMTP_TRANSITIONS } from './states.js';
export type { SmtpReply } from './reply.js';
export { ReplyAssembler } from './reply.js';
export type { EhloCapabilities } from './ehlo.js';
export { parseEhlo } from './ehlo.js';
export type { EnhancedStatus } from './enhanced-status.js';
export { splitEnhancedStatus } from './enhanced-status.js';
export { dotStuff, dotUnstuff, encodeDataBody, decodeDataBody } from './data.js';
export type { SmtpParams } from './commands.js';
