/**
 * Public exports for bundlers: element classes, their types, events and the client. No side
 * effects: import `intake-widgets/define` (src/define.ts) or call `defineAll()` to register tags.
 */
export { IntakeWidget } from './components/widget/widget.component.js';
export type { StartChatOptions, OpenFormOptions } from './components/widget/widget.component.js';
export { IntakeChat } from './components/chat/chat.component.js';
export { IntakeForm } from './components/form/form.component.js';
export { IntakeStatus } from './components/status/status.component.js';
export { IntakeAsk } from './components/ask/ask.component.js';
export { IntakeClient } from './client/client.js';
export type * from './client/types.js';
export type * from './client/protocol.js';
export type * from './events/index.js';
export { INTAKE_EVENTS } from './events/index.js';
export { readConfig, type WidgetConfig, type Mode, type Position, type Theme } from './config.js';
export { SUPPORTED_LOCALES, type Locale } from './i18n/locale.js';
