/** Fired when a request has been accepted by the backend and has its reference number. */
export type IntakeRequestSubmittedEventDetail = { reference: string; service: string; type: string };
export type IntakeRequestSubmittedEvent = CustomEvent<IntakeRequestSubmittedEventDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'intake-request-submitted': IntakeRequestSubmittedEvent;
  }
}
