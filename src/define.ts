/**
 * The ES entry's side effect: once the page has loaded, registers `<intake-widget>` (the
 * launcher-only code) and, when an `<intake-ask>`, or an inline `<intake-chat>`, `<intake-form>`
 * or `<intake-status>` appears on the page, loads and registers it (most pages have none: their
 * code is not in the bytes a page pays before the resident shows intent). Registration is polite: a
 * second copy of the library on the page leaves the first one's tags in place and does not throw.
 */
import { define } from './components/shared/define.js';
import { afterPageLoad } from './components/shared/page-ready.js';
import { IntakeWidget } from './components/widget/widget.component.js';

/** Tags that load only when the page uses them (the widget loads its views on intent). */
const LAZY_TAGS: Record<string, () => Promise<unknown>> = {
  'intake-ask': () => import('./components/ask/ask.component.js').then(({ IntakeAsk }) => define('intake-ask', IntakeAsk)),
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
  loadUsedViews();
  if (!observer && document.body) {
    observer = new MutationObserver(loadUsedViews);
    observer.observe(document.body, { childList: true, subtree: true });
  }
}

// Only in a browser: imported on a server (SSR), this module defines nothing and touches no DOM.
if (typeof window !== 'undefined' && typeof customElements !== 'undefined') afterPageLoad(() => defineAll());
