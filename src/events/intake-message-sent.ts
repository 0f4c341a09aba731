/** Fired when a resident message is safely in the outbox (it will reach the backend even after a reload). */
export type IntakeMessageSentEventDetail = { clientId: string };
export type IntakeMessageSentEvent = CustomEvent<IntakeMessageSentEventDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'intake-message-sent': IntakeMessageSentEvent;
  }
}
