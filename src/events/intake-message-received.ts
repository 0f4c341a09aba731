/** Fired when a staff or system message arrives in the chat. */
export type IntakeMessageReceivedEventDetail = { id: string };
export type IntakeMessageReceivedEvent = CustomEvent<IntakeMessageReceivedEventDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'intake-message-received': IntakeMessageReceivedEvent;
  }
}
