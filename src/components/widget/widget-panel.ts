/**
 * The widget's panel, loaded on intent: header, tabs (Chat, Form, My requests — only those in
 * `modes` and in the backend's capabilities) and the views. Placed by the floating controller on
 * wide screens; a modal full-screen sheet with a focus trap and scroll lock under 480 px.
 */
import { adoptStyles, html, nothing, render, type ReactiveController, type TemplateResult } from 'lit';
import type { TOptions } from 'i18next';
import type { Catalog } from '../../client/protocol.js';
import type { IntakeClientApi, IntakeClientOptions } from '../../client/types.js';
import type { Mode } from '../../config.js';
import { FloatingController } from '../../controllers/floating.js';
import { FocusTrapController, tabbables } from '../../controllers/focus-trap.js';
import { LocalizeController } from '../../controllers/localize.js';
import { PageInertController } from '../../controllers/page-inert.js';
import { ScrollLockController } from '../../controllers/scroll-lock.js';
import { VisualViewportController } from '../../controllers/visual-viewport.js';
import { emit } from '../../events/index.js';
import { IntakeChat } from '../chat/chat.component.js';
import type { IntakeStatus } from '../status/status.component.js';
import { applyStrings, isLocaleLoaded, loadLocale } from '../../i18n/i18n.js';
import { resolveLocale, type Locale } from '../../i18n/locale.js';
import { clientFor } from '../shared/client-registry.js';
import { chooseLocale } from '../shared/language-choice.js';
import { languagePicker, languagePickerStyles } from '../shared/language-picker.js';
import { siteName } from '../shared/site-name.js';
import { serverText } from '../shared/text-lang.js';
import { define } from '../shared/define.js';
import { readSession, writeSession } from '../shared/session-state.js';
import { panelStyles } from './panel.styles.js';
import { clientOptions, takeCatalog, widgetClient } from './widget-warm.js';
import type { IntakeWidget, OpenFormOptions, StartChatOptions } from './widget.component.js';

const NARROW = '(max-width: 479.98px)';

/** The views loaded only when their tab opens (the chat is in the panel's own chunk). */
type LazyView = Exclude<Mode, 'chat'>;

/**
 * Loads and registers the form and My requests, each from a chunk of its own (vite.config.ts).
 * Replaced by tests to make a load fail. @internal
 */
export const viewLoaders: Record<LazyView, () => Promise<unknown>> = {
  form: () => import('../form/form.component.js').then(({ IntakeForm }) => define('intake-form', IntakeForm)),
  status: () => import('../status/status.component.js').then(({ IntakeStatus }) => define('intake-status', IntakeStatus)),
};

/** sessionStorage key prefix (then the site id) of the tab the panel shows. */
const TAB_KEY = 'intake-widgets:tab:';

export class WidgetPanel implements ReactiveController {
  readonly localize: LocalizeController;
  private readonly floating: FloatingController;
  private readonly trap: FocusTrapController;
  private readonly scrollLock: ScrollLockController;
  private readonly pageInert: PageInertController;
  private readonly viewport: VisualViewportController;
  private readonly media = window.matchMedia(NARROW);
  private madeClient?: IntakeClientApi;
  private catalog?: Catalog;
  private catalogFailed = false;
  /** The tab the resident was on; like the open state, it survives navigation within the site. */
  private tab: Mode;
  private topic?: string;
  /** What `openForm()` asked for; the form view picks it up. */
  formOptions: OpenFormOptions = {};
  statusReference?: string;
  /** The form's and My requests' code: loading, in, or failed to load (then the tab says so and offers a retry). */
  private readonly views: Partial<Record<LazyView, 'loading' | 'ready' | 'failed'>> = {};
  private viewLoads: Partial<Record<LazyView, Promise<void>>> = {};

  private readonly onMedia = () => {
    if (this.host.isOpen) this.applyLayout();
    this.host.requestUpdate();
  };

  constructor(private readonly host: IntakeWidget) {
    // Called, not a bare import: bundlers may drop side-effect-only imports (package.json sideEffects).
    define('intake-chat', IntakeChat);
    const stored = readSession(`${TAB_KEY}${host.site}`);
    this.tab = stored === 'form' || stored === 'status' ? stored : 'chat';
    this.localize = new LocalizeController(host, () => host.activeLocale);
    this.floating = new FloatingController(host, { placement: 'top-end', strategy: 'fixed', offset: 12, padding: 8, size: true });
    this.trap = new FocusTrapController(host);
    this.scrollLock = new ScrollLockController(host);
    this.pageInert = new PageInertController(host);
    this.viewport = new VisualViewportController(host);
    host.addController(this);
    adoptStyles(host.renderRoot, [...(host.constructor as typeof IntakeWidget).styles, languagePickerStyles, panelStyles]);
  }

  get locale(): string {
    return this.localize.locale;
  }

  get client(): IntakeClientApi | undefined {
    return this.host.client ?? this.madeClient;
  }

  get narrow(): boolean {
    return this.media.matches;
  }

  t(key: string, options?: TOptions): string {
    return this.localize.t(key, options);
  }

  /** Translations and the client are in (loaded side by side); the catalogue follows without blocking. */
  async ready(): Promise<void> {
    if (this.host.strings) applyStrings(this.host.strings);
    const locale = this.localize.locale;
    const tab = this.currentTab;
    const [, client] = await Promise.all([
      this.localize.loaded(),
      this.host.client ? undefined : widgetClient(this.host, locale),
      // Opening on the form or My requests (remembered, or the only tab): its view loads alongside.
      tab === 'chat' ? undefined : this.loadView(tab),
    ]);
    this.clientLocale = this.localize.locale;
    this.madeClient = client;
    this.loadCatalog(true);
  }

  private clientOptions(locale: string): IntakeClientOptions {
    return clientOptions(this.host, locale);
  }

  /** The locale the client and catalogue were made for. */
  private clientLocale?: string;

  hostUpdated(): void {
    const locale = this.localize.locale;
    if (this.clientLocale !== undefined && locale !== this.clientLocale) {
      this.clientLocale = locale;
      void this.switchLocale(locale);
    }
  }

  /** After `setLocale()` or the picker: a client speaking the new locale (when the widget made it) and its catalogue. */
  private async switchLocale(locale: string): Promise<void> {
    if (!this.host.client && this.host.endpoint && this.host.site) {
      try {
        this.madeClient = await clientFor(this.clientOptions(locale));
      } catch {
        // Keeps the client it had; the catalogue below stays in the old language.
      }
    }
    if (this.clientLocale !== locale) return;
    const early = this.early;
    this.early = undefined;
    if (early?.locale === locale && early.client === this.client) {
      this.catalog = early.catalog;
      this.catalogFailed = false;
    } else this.loadCatalog();
    this.host.requestUpdate();
  }

  /** The language the picker shows while its strings and catalogue load. */
  private choosing?: Locale;
  /** The catalogue fetched before the switch, so the views change language all at once. */
  private early?: { locale: string; client: IntakeClientApi; catalog: Catalog };

  /**
   * The resident picked a language: its strings and the catalogue in it load first, then
   * everything switches at once (what was typed stays: the views keep their drafts).
   */
  private async chooseLanguage(locale: Locale): Promise<void> {
    if (locale === this.localize.locale && !this.choosing) return;
    this.choosing = locale;
    this.host.requestUpdate();
    const catalog = (async () => {
      const client = this.host.client ?? (this.host.endpoint && this.host.site ? await clientFor(this.clientOptions(locale)) : undefined);
      // A client given by the page speaks one locale: its catalogue is asked for again after the switch.
      if (!client || client === this.host.client) return;
      this.early = { locale, client, catalog: await client.catalog() };
    })().catch(() => undefined);
    await Promise.all([loadLocale(locale).catch(() => undefined), catalog]);
    if (this.choosing !== locale) return;
    this.choosing = undefined;
    // Heard by the widget (it re-renders and the panel switches in hostUpdated) and the site's other elements.
    chooseLocale(this.host.endpoint, this.host.site, locale);
  }

  /** The client whose changed catalogues the panel follows (its 'catalog' event). */
  private followed?: IntakeClientApi;

  /** A kept catalogue was answered first and the server's changed one came after: the panel shows it. */
  private readonly onCatalog = (event: Event): void => {
    const catalog = (event as CustomEvent<Catalog | undefined>).detail;
    if (!catalog || event.target !== this.client) return;
    this.catalog = catalog;
    this.catalogFailed = false;
    this.host.requestUpdate();
  };

  private follow(client: IntakeClientApi | undefined): void {
    if (client === this.followed) return;
    this.followed?.removeEventListener('catalog', this.onCatalog);
    this.followed = client;
    client?.addEventListener('catalog', this.onCatalog);
  }

  /** Asks the client for the catalogue; `first`: the one warm() asked for at intent, when it did. */
  private loadCatalog(first = false): void {
    const client = this.client;
    if (!client) {
      this.catalogFailed = true;
      return;
    }
    this.follow(client);
    const locale = this.clientLocale;
    (first ? takeCatalog(client) : client.catalog()).then(
      (catalog) => {
        if (locale !== this.clientLocale) return;
        this.catalog = catalog;
        this.catalogFailed = false;
        this.host.requestUpdate();
      },
      (error: unknown) => {
        this.catalogFailed = true;
        this.host.requestUpdate();
        const code = (error as { code?: unknown } | null)?.code;
        emit(this.host, 'intake-error', { code: typeof code === 'string' ? code : 'catalog_failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
  }

  /**
   * The tabs to show: in `modes` and offered by the backend (chat needs `capabilities.chat`).
   * Before the catalogue answers, an Open311 backend is known to have no chat: the first render
   * (and so the default tab) never shows a Chat tab that would vanish a moment later.
   */
  get tabs(): Mode[] {
    const chat = this.catalog ? this.catalog.capabilities.chat : !this.open311;
    return this.host.modeList.filter((mode) => (mode === 'chat' ? chat : true));
  }

  /** The widget speaks Open311 (its attribute, or the client it was given). */
  private get open311(): boolean {
    return this.host.transport === 'open311' || this.client?.options.transport === 'open311';
  }

  get currentTab(): Mode {
    const tabs = this.tabs;
    return tabs.includes(this.tab) ? this.tab : tabs[0] ?? 'chat';
  }

  /** Loads a lazy view's code once; a failed load can be tried again. Never rejects. */
  private loadView(view: LazyView): Promise<void> {
    // Ready when its code and its words in the panel's language are in (a page may have defined it).
    if (this.viewInPlace(view)) {
      this.views[view] = 'ready';
      return Promise.resolve();
    }
    if (this.views[view] === 'loading') return this.viewLoads[view]!;
    this.views[view] = 'loading';
    // Its code and its words (the locale's views part, i18n.ts) at once: without either it cannot show.
    return (this.viewLoads[view] = Promise.all([viewLoaders[view](), loadLocale(this.localize.locale, ['views'])]).then(
      () => {
        this.views[view] = 'ready';
        this.host.requestUpdate();
      },
      (error: unknown) => {
        this.views[view] = 'failed';
        this.host.requestUpdate();
        emit(this.host, 'intake-error', { code: 'load_failed', message: error instanceof Error ? error.message : String(error) });
      },
    ));
  }

  private viewInPlace(view: LazyView): boolean {
    return !!customElements.get(`intake-${view}`) && isLocaleLoaded(this.localize.locale, ['views']);
  }

  /** Whether a lazy view's code is in (tests). @internal */
  viewState(view: LazyView): 'loading' | 'ready' | 'failed' | undefined {
    return this.views[view];
  }

  select(tab: Mode, options: StartChatOptions & OpenFormOptions & { reference?: string } = {}): void {
    this.tab = tab;
    if (tab !== 'chat') void this.loadView(tab);
    writeSession(`${TAB_KEY}${this.host.site}`, tab);
    if (tab === 'chat') {
      if (this.host.isOpen) this.host.seenChat();
      if (options.topic) this.topic = options.topic;
      if (options.text) {
        const text = options.text;
        void this.host.updateComplete.then(() => this.chat?.prefill(text));
      }
    } else if (tab === 'form') {
      this.formOptions = { ...(options.service ? { service: options.service } : {}), ...(options.type ? { type: options.type } : {}) };
    } else {
      this.statusReference = options.reference;
      // Requests filed since the list was read (in the form next door, or another tab) join it.
      void this.host.updateComplete.then(() => this.status?.reload());
    }
    this.host.requestUpdate();
  }

  private get panelElement(): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>('.panel');
  }

  /** My requests, once its code is in (before, its element is not upgraded yet). */
  private get status(): IntakeStatus | null {
    return this.host.renderRoot.querySelector<IntakeStatus>('intake-status:defined');
  }

  get chat(): IntakeChat | null {
    return this.host.renderRoot.querySelector('intake-chat');
  }

  /** The panel is rendered and open: place it, trap focus on phones, focus the view. */
  opened(focus: boolean): void {
    const panel = this.panelElement;
    // The top layer, as the launcher: a transformed body or a host's z-index cannot move or cover it.
    if (panel?.showPopover && !panel.matches(':popover-open')) panel.showPopover();
    this.applyLayout();
    // While open, wherever focus is: Escape closes, and the page's own focus is never under the panel.
    document.addEventListener('keydown', this.onPageKeydown);
    document.addEventListener('focusin', this.onPageFocus, true);
    this.chat?.markSeen();
    if (focus) this.focusView();
  }

  closed(): void {
    const panel = this.panelElement;
    if (panel?.matches(':popover-open')) panel.hidePopover();
    document.removeEventListener('keydown', this.onPageKeydown);
    document.removeEventListener('focusin', this.onPageFocus, true);
    this.floating.stop();
    this.trap.deactivate();
    this.scrollLock.unlock();
    this.pageInert.deactivate();
    this.viewport.stop();
  }

  /** Whether autoUpdate is running (for tests: it must stop on close and disconnect). */
  get positioning(): boolean {
    return this.floating.running;
  }

  focusView(): void {
    void this.host.updateComplete.then(async () => {
      const chat = this.currentTab === 'chat' ? this.chat : null;
      if (chat) {
        await chat.updateComplete;
        chat.focusComposer();
        return;
      }
      const panel = this.panelElement;
      if (panel) tabbables(panel)[0]?.focus({ preventScroll: true });
    });
  }

  private applyLayout(): void {
    const panel = this.panelElement;
    const launcher = this.host.launcher;
    if (!panel || !launcher) return;
    if (this.narrow) {
      this.floating.stop();
      for (const prop of ['position', 'left', 'top', '--intake-available-width', '--intake-available-height']) panel.style.removeProperty(prop);
      this.trap.activate(panel);
      this.scrollLock.lock();
      // Modal: the page behind leaves the accessibility tree too, not only the Tab order.
      this.pageInert.activate(this.host);
      this.viewport.follow(panel);
    } else {
      this.trap.deactivate();
      this.scrollLock.unlock();
      this.pageInert.deactivate();
      this.viewport.stop();
      this.floating.options.placement = this.host.position === 'bottom-start' ? 'top-start' : 'top-end';
      this.floating.start({ reference: launcher, floating: panel });
    }
  }

  hostConnected(): void {
    this.media.addEventListener('change', this.onMedia);
  }

  hostDisconnected(): void {
    this.media.removeEventListener('change', this.onMedia);
    document.removeEventListener('keydown', this.onPageKeydown);
    document.removeEventListener('focusin', this.onPageFocus, true);
  }

  /** Escape on the host page while the (non-modal) desktop panel is open: closes it, focus stays put. */
  private readonly onPageKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && !event.defaultPrevented && this.host.isOpen && !event.composedPath().includes(this.host)) void this.host.close();
  };

  /**
   * Tab (or a click) moved focus to the host page behind the open desktop panel: when the focused
   * element is under the panel, the panel closes (what was typed stays), so focus is never hidden.
   */
  private readonly onPageFocus = (event: FocusEvent): void => {
    const target = event.target;
    const panel = this.panelElement;
    if (!this.host.isOpen || this.narrow || !panel || !(target instanceof Element) || event.composedPath().includes(this.host)) return;
    const r = target.getBoundingClientRect();
    const p = panel.getBoundingClientRect();
    if (r.left < p.right && p.left < r.right && r.top < p.bottom && p.top < r.bottom) void this.host.close();
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      event.stopPropagation();
      void this.host.close().then(() => this.host.launcher?.focus({ preventScroll: true }));
    }
  };

  private readonly onTabKeydown = (event: KeyboardEvent): void => {
    const tabs = this.tabs;
    const index = tabs.indexOf(this.currentTab);
    const rtl = this.localize.dir === 'rtl';
    let next = index;
    if (event.key === 'ArrowRight') next = index + (rtl ? -1 : 1);
    else if (event.key === 'ArrowLeft') next = index + (rtl ? 1 : -1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    else return;
    event.preventDefault();
    const tab = tabs[(next + tabs.length) % tabs.length]!;
    this.select(tab);
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus());
  };

  private showStatusFromForm(reference: string | undefined): void {
    this.select('status', reference ? { reference } : {});
    void this.host.updateComplete.then(async () => {
      // My requests' code may still be on its way: the tab takes focus then.
      const status = this.status;
      await status?.updateComplete;
      // With a reference the status view may already have focused that request's heading.
      const inStatus = !!status && (status.renderRoot as ShadowRoot).activeElement !== null;
      if (!inStatus) this.host.renderRoot.querySelector<HTMLElement>('#tab-status')?.focus();
    });
  }

  private renderView(tab: Mode): TemplateResult {
    switch (tab) {
      case 'chat':
        return html`<intake-chat
          nested
          ?large-text=${this.host.largeText}
          theme=${this.host.theme}
          .client=${this.client}
          .catalog=${this.catalog}
          locale=${this.localize.locale}
          topic=${this.topic ?? nothing}
          exportparts="log, message, message-resident, message-staff, message-system, bubble, composer, input, field, button, send-button"
          @intake-show-status=${(event: CustomEvent<{ reference?: string }>) => this.showStatusFromForm(event.detail?.reference)}
        ></intake-chat>`;
      case 'form':
        return html`<intake-form
          nested
          ?large-text=${this.host.largeText}
          theme=${this.host.theme}
          .client=${this.client}
          .catalog=${this.catalog}
          locale=${this.localize.locale}
          service=${this.formOptions.service ?? nothing}
          type=${this.formOptions.type ?? nothing}
          exportparts="field, input, button, error-summary, confirmation"
          @intake-show-status=${(event: CustomEvent<{ reference?: string }>) => this.showStatusFromForm(event.detail?.reference)}
        ></intake-form>`;
      case 'status':
        return html`<intake-status
          nested
          ?large-text=${this.host.largeText}
          theme=${this.host.theme}
          .client=${this.client}
          .catalog=${this.catalog}
          locale=${this.localize.locale}
          reference=${this.statusReference ?? nothing}
          exportparts="field, input, button, error-summary, request, timeline, reply"
          @intake-requests-seen=${() => void this.host.checkRequests()}
        ></intake-status>`;
    }
  }

  /**
   * A lazy view whose code is on its way, or could not be loaded (what was typed elsewhere stays).
   * The view's element is rendered all the same (unknown to the browser until its code is in, then
   * upgraded in place with the properties already set), so it keeps its place and its bindings.
   */
  private renderPending(tab: LazyView): TemplateResult {
    return this.views[tab] === 'failed'
      ? html`<div class="view-state" role="alert">
          <p>${this.t('widget.view.error')}</p>
          <button class="retry" part="button" type="button" @click=${() => this.retryView(tab)}>${this.t('widget.view.retry')}</button>
        </div>`
      : html`<p class="view-state" role="status">${this.t('widget.view.loading')}</p>`;
  }

  private retryView(view: LazyView): void {
    this.views[view] = undefined;
    void this.loadView(view).then(() => {
      if (this.views[view] === 'ready') this.focusView();
    });
    this.host.requestUpdate();
  }

  /** Renders the panel into the widget's root, after the launcher (lit-html keeps its place). */
  renderInto(container: HTMLElement): void {
    render(this.render(), container, { host: this.host });
  }

  render(): TemplateResult {
    const t = (key: string) => this.t(key);
    const tabs = this.tabs;
    const current = this.currentTab;
    // Shown by a render (the remembered tab, the only tab, a tab the catalogue left): its code loads
    // now. Shown in a language whose views part is not in yet (a switch while it is open): its words
    // load now, and a failure offers Try again instead of leaving the view on its loading line.
    if (current !== 'chat' && (!this.views[current] || (this.views[current] === 'ready' && !this.viewInPlace(current)))) void this.loadView(current);
    const sheet = this.narrow;
    const site = siteName(this.catalog, this.open311 ? 'open311' : undefined);
    return html`<div
      id="panel"
      part="panel"
      class="panel ${sheet ? 'sheet' : 'floating'}"
      role="dialog"
      popover="manual"
      aria-modal=${sheet ? 'true' : 'false'}
      aria-labelledby="panel-title"
      ?hidden=${!this.host.isOpen}
      @keydown=${this.onKeydown}
    >
      <div class="header" part="header">
        <div class="titles">
          <h2 id="panel-title">${t('widget.title')}</h2>
          ${site ? html`<p class="site">${serverText(site, this.catalog?.locale, this.catalog?.site.langs?.['name'])}</p>` : nothing}
        </div>
        <button class="close" part="button close-button" type="button" aria-label=${t('widget.close')} @click=${() => void this.host.close()}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" fill="none" />
          </svg>
        </button>
        <div class="tools">
          ${this.host.hideLanguagePicker
            ? nothing
            : languagePicker({
                id: 'language',
                locale: this.choosing ?? resolveLocale(this.localize.locale),
                label: t('widget.language'),
                onChange: (locale) => void this.chooseLanguage(locale),
              })}
          <button
            class="large-text-toggle"
            part="button large-text-button"
            type="button"
            aria-pressed=${this.host.largeText ? 'true' : 'false'}
            @click=${() => this.host.setLargeText(!this.host.largeText)}
          >
            ${t('widget.largeText')}
          </button>
        </div>
      </div>
      ${this.catalogFailed ? html`<p class="notice" role="status">${t('widget.catalogError')}</p>` : nothing}
      ${tabs.length > 1
        ? html`<div class="tabs" role="tablist" aria-label=${t('widget.tabs')} @keydown=${this.onTabKeydown}>
            ${tabs.map(
              (tab) => html`<button
                id="tab-${tab}"
                class="tab"
                part="button tab"
                role="tab"
                type="button"
                aria-selected=${tab === current ? 'true' : 'false'}
                aria-controls="view-${tab}"
                tabindex=${tab === current ? '0' : '-1'}
                aria-label=${tab === 'chat' && tab !== current && this.host.unreadCount > 0 ? this.t('widget.launcherUnread', { label: t('widget.tab.chat'), count: this.host.unreadCount }) : nothing}
                @click=${() => this.select(tab)}
              >
                ${t(`widget.tab.${tab}`)}${tab === 'chat' && tab !== current && this.host.unreadCount > 0
                  ? html` <span class="tab-badge" part="badge" aria-hidden="true">${this.host.unreadCount > 99 ? '99+' : this.host.unreadCount}</span>`
                  : nothing}
              </button>`,
            )}
          </div>`
        : nothing}
      ${tabs.map(
        (tab) => html`<div
          id="view-${tab}"
          class="view"
          role=${tabs.length > 1 ? 'tabpanel' : nothing}
          aria-labelledby=${tabs.length > 1 ? `tab-${tab}` : nothing}
          aria-busy=${tab !== 'chat' && this.views[tab] === 'loading' ? 'true' : nothing}
          ?hidden=${tab !== current}
        >
          ${tab !== 'chat' && tab === current && this.views[tab] !== 'ready' ? this.renderPending(tab) : nothing}${this.renderView(tab)}
        </div>`,
      )}
    </div>`;
  }
}

