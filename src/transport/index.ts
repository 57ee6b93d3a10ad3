// The transport layer's public surface.

export { connectTransport } from './connect.js';
export { parseMailUrl, type MailUrl } from './url.js';
export { describeSocketError, formatEndpoint } from './errors.js';
export * from './types.js';
