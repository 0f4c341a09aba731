/** Fired on \`<intake-widget>\` when its panel opens. */
export type IntakeOpenEventDetail = Record<string, never>;
export type IntakeOpenEvent = CustomEvent<IntakeOpenEventDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'intake-open': IntakeOpenEvent;
  }
}
