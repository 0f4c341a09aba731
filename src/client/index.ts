/** The client layer's public exports (no DOM rendering, no Lit). */
export { IntakeClient, createTransport, newKey } from './client.js';
export type { IntakeClientConfig, IntakeClientEventMap, DeliveryEventDetail, PendingItem } from './client.js';
export { IntakeError, CLIENT_ERROR_CODES, codeForStatus } from './errors.js';
export type { IntakeErrorCode, ClientErrorCode, IntakeErrorInit } from './errors.js';
export { backoffDelay, parseRetryAfter, DEFAULT_RETRY } from './retry.js';
export type { RetryOptions } from './retry.js';
export { EventStream } from './event-stream.js';
export type { EventStreamOptions, StreamState } from './event-stream.js';
export { IntakeTransport } from './transports/intake.js';
export { Open311Transport, WaitingForReferenceError, defaultAttemptLog } from './transports/open311.js';
export type { Open311TransportOptions, Open311Attempt, Open311AttemptLog } from './transports/open311.js';
export type { Transport, TransportNotice, CallOptions, ConversationRef, RequestAuth, UploadOptions } from './transports/transport.js';
export { DRAFT_TTL_MS } from './drafts.js';
export type * from './types.js';
export * from './protocol.js';
