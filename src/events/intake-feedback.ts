/** Fired when the resident rates the answer to a request. */
export type IntakeFeedbackEventDetail = { reference: string; rating: number };
export type IntakeFeedbackEvent = CustomEvent<IntakeFeedbackEventDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'intake-feedback': IntakeFeedbackEvent;
  }
}
