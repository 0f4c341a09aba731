/** The widgets' DOM events: each bubbles and crosses shadow roots (`composed`). */
import type { IntakeCloseEventDetail } from './intake-close.js';
import type { IntakeErrorEventDetail } from './intake-error.js';
import type { IntakeFeedbackEventDetail } from './intake-feedback.js';
import type { IntakeMessageReceivedEventDetail } from './intake-message-received.js';
import type { IntakeMessageSentEventDetail } from './intake-message-sent.js';
import type { IntakeOpenEventDetail } from './intake-open.js';
import type { IntakeRequestSubmittedEventDetail } from './intake-request-submitted.js';

export type { IntakeOpenEvent } from './intake-open.js';
export type { IntakeCloseEvent } from './intake-close.js';
export type { IntakeRequestSubmittedEvent } from './intake-request-submitted.js';
export type { IntakeMessageSentEvent } from './intake-message-sent.js';
export type { IntakeMessageReceivedEvent } from './intake-message-received.js';
export type { IntakeFeedbackEvent } from './intake-feedback.js';
export type { IntakeErrorEvent } from './intake-error.js';

/** Event name → detail, for `emit()` and the script-tag `on()`. */
export interface IntakeEventDetails {
  'intake-open': IntakeOpenEventDetail;
  'intake-close': IntakeCloseEventDetail;
  'intake-request-submitted': IntakeRequestSubmittedEventDetail;
  'intake-message-sent': IntakeMessageSentEventDetail;
  'intake-message-received': IntakeMessageReceivedEventDetail;
  'intake-feedback': IntakeFeedbackEventDetail;
  'intake-error': IntakeErrorEventDetail;
}
export type IntakeEventName = keyof IntakeEventDetails;

export const INTAKE_EVENTS: readonly IntakeEventName[] = [
  'intake-open', 'intake-close', 'intake-request-submitted', 'intake-message-sent',
  'intake-message-received', 'intake-feedback', 'intake-error',
];

export function emit<K extends IntakeEventName>(target: EventTarget, name: K, detail: IntakeEventDetails[K]): CustomEvent<IntakeEventDetails[K]> {
  const event = new CustomEvent(name, { bubbles: true, composed: true, detail });
  target.dispatchEvent(event);
  return event;
}
