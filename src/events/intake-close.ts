/** Fired on \`<intake-widget>\` when its panel closes. */
export type IntakeCloseEventDetail = Record<string, never>;
export type IntakeCloseEvent = CustomEvent<IntakeCloseEventDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'intake-close': IntakeCloseEvent;
  }
}
