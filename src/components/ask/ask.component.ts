import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { FloatingController } from '../../controllers/floating.js';
import type { LocalizeController } from '../../controllers/localize.js';
import { emit } from '../../events/index.js';
import { directionOf, LAUNCHER_STRINGS, resolveLocale } from '../../i18n/locale.js';
import { chosenLocale, languageChoices } from '../shared/language-choice.js';
import { shared } from '../../styles/shared.js';
import { tokens } from '../../styles/tokens.js';
import { styles } from './ask.styles.js';

/**
 * A small "Ask about this" button for any page section. Hover or focus shows a hint (placed by
 * the floating controller, loaded then); a click opens the nearest `<intake-widget>` (or the
 * first on the page) on its chat with this topic.
 *
 * @tag intake-ask
 * @event {IntakeErrorEvent} intake-error - No `<intake-widget>` on the page to open. `{code, message}`
 * @csspart button - The button.
 * @csspart hint - The popover hint.
 * @cssproperty --intake-ask-color - Text and border (default --intake-color-primary).
 * @cssproperty --intake-ask-background - Background (default --intake-color-surface).
 * @cssproperty --intake-ask-radius - Corners (default --intake-radius-full).
 */
export class IntakeAsk extends LitElement {
  static override styles = [tokens, shared, styles];

  /** What the question is about, e.g. "Rubbish collection". */
  @property() topic?: string;
  /** A service id, used as the topic when `topic` is absent. */
  @property() service?: string;
  @property() locale?: string;
  @property({ reflect: true }) theme?: string;
  @property({ type: Boolean, reflect: true, attribute: 'large-text' }) largeText = false;

  @state() private hintShown = false;
  @query('button') private button?: HTMLButtonElement;
  @query('.hint') private hint?: HTMLElement;

  private floating?: FloatingController;
  private localize?: LocalizeController;
  private loadingHint?: Promise<void>;

  // Floating controller and translations load on the first hover or focus, not before.
  private loadHint(): Promise<void> {
    this.loadingHint ??= Promise.all([import('../../controllers/floating.js'), import('../../controllers/localize.js')]).then(
      async ([{ FloatingController }, { LocalizeController }]) => {
        this.floating = new FloatingController(this, { placement: 'top', strategy: 'fixed', offset: 8, padding: 8 });
        this.localize = new LocalizeController(this, () => this.requestedLocale);
        await this.localize.loaded();
      },
    );
    return this.loadingHint;
  }

  private hovered = false;
  private focused = false;

  /** The widget this button opens: its resident's choice of language speaks here too, else `locale`. */
  private get requestedLocale(): string | undefined {
    const widget = this.closest('intake-widget') ?? document.querySelector('intake-widget');
    return (widget && chosenLocale(widget.getAttribute('endpoint') ?? '', widget.getAttribute('site') ?? '')) || this.locale;
  }

  private readonly onChoice = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    languageChoices.addEventListener('change', this.onChoice);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    languageChoices.removeEventListener('change', this.onChoice);
  }

  private async showHint(): Promise<void> {
    await this.loadHint().catch(() => undefined);
    if (!this.hovered && !this.focused) return;
    this.hintShown = true;
    await this.updateComplete;
    if (this.button && this.hint && this.floating) this.floating.start({ reference: this.button, floating: this.hint });
  }

  private hideHint(): void {
    this.hintShown = false;
    this.floating?.stop();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.hintShown) {
      event.stopPropagation();
      this.hideHint();
    }
  }

  private async onClick(): Promise<void> {
    this.hideHint();
    const widget = this.closest('intake-widget') ?? document.querySelector('intake-widget');
    if (!widget) {
      const message = '<intake-ask> found no <intake-widget> on the page to open.';
      console.error(`[intake-widgets] ${message}`);
      emit(this, 'intake-error', { code: 'no_widget', message });
      return;
    }
    await customElements.whenDefined('intake-widget');
    const topic = this.topic || this.service;
    await widget.startChat(topic ? { topic } : {});
  }

  override render(): TemplateResult {
    const locale = this.localize?.locale ?? resolveLocale(this.requestedLocale);
    const label = this.localize?.ready ? this.localize.t('ask.label') : LAUNCHER_STRINGS[locale].ask;
    const topic = this.topic || this.service;
    const hint = this.localize?.ready ? this.localize.t(topic ? 'ask.hint' : 'ask.hintGeneric', topic ? { topic } : {}) : '';
    return html`<span class="wrap" lang=${locale} dir=${directionOf(locale)}
      @pointerenter=${() => { this.hovered = true; void this.showHint(); }}
      @pointerleave=${() => { this.hovered = false; if (!this.focused) this.hideHint(); }}
      @focusin=${() => { this.focused = true; void this.showHint(); }}
      @focusout=${() => { this.focused = false; if (!this.hovered) this.hideHint(); }}
      @keydown=${this.onKeydown}
    >
      <button type="button" part="button" aria-describedby=${hint ? 'hint' : nothing} @click=${() => void this.onClick()}>
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" stroke-width="2" />
          <path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
          <circle cx="12" cy="17.5" r="1.2" fill="currentColor" />
        </svg>
        <span>${label}</span>
      </button>
      <span id="hint" class="hint" part="hint" role="tooltip" ?hidden=${!this.hintShown || !hint}>${hint}</span>
    </span>`;
  }
}


declare global {
  interface HTMLElementTagNameMap {
    'intake-ask': IntakeAsk;
  }
}
