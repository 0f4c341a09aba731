/**
 * The ES entry's side effect: once the page has loaded, registers `<intake-widget>` and
 * `<intake-ask>` (the launcher-only code) and, when an inline `<intake-chat>`, `<intake-form>`
 * or `<intake-status>` appears on the page, loads and registers it. Registration is polite: a
 * second copy of the library on the page leaves the first one's tags in place and does not throw.
 */
import { IntakeAsk } from './components/ask/ask.component.js';
import { define } from './components/shared/define.js';
import { afterPageLoad } from './components/shared/page-ready.js';
import { IntakeWidget } from './components/widget/widget.component.js';

/** Views that load only when the page uses them inline (the widget loads them on intent). */
const LAZY_TAGS: Record<string, () => Promise<unknown>> = {
  'intake-chat': () => import('./components/chat/chat.component.js').then(({ IntakeChat }) => define('intake-chat', IntakeChat)),
  'intake-form': () => import('./components/form/form.component.js').then(({ IntakeForm }) => define('intake-form', IntakeForm)),
  'intake-status': () => import('./components/status/status.component.js').then(({ IntakeStatus }) => define('intake-status', IntakeStatus)),
};

let observer: MutationObserver | undefined;

function loadUsedViews(): void {
  for (const [tag, load] of Object.entries(LAZY_TAGS)) {
    if (!customElements.get(tag) && document.querySelector(tag)) {
      load().catch((error: unknown) => console.error(`[intake-widgets] could not load <${tag}>`, error));
    }
  }
}

/** Registers every tag (politely); safe to call more than once. */
export function defineAll(registry: CustomElementRegistry = customElements): void {
  define('intake-widget', IntakeWidget, registry);
  define('intake-ask', IntakeAsk, registry);
  loadUsedViews();
  if (!observer && document.body) {
    observer = new MutationObserver(loadUsedViews);
    observer.observe(document.body, { childList: true, subtree: true });
  }
}

afterPageLoad(() => defineAll());
