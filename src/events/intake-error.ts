/** Fired when something the resident did could not be done (the widget also shows it). */
export type IntakeErrorEventDetail = { code: string; message: string };
export type IntakeErrorEvent = CustomEvent<IntakeErrorEventDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'intake-error': IntakeErrorEvent;
  }
}
