import { adopt } from '../../styles/css.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RequestKind } from '../../client/protocol.js';
import type { IntakeClientApi, TransportKind } from '../../client/types.js';
import { readModes, readPosition, readTheme, readTransport, type Mode, type Position } from '../../attributes.js';
import { emit } from '../../events/index.js';
import { directionOf, LAUNCHER_STRINGS, resolveLocale } from '../../i18n/locale.js';
import { shared } from '../../styles/shared.js';
import { tokens } from '../../styles/tokens.js';
import { ElementBase } from '../shared/define.js';
import { hasKnownRequests } from '../shared/known-flag.js';
import { chooseLocale, chosenLocale, languageChoices } from '../shared/language-choice.js';
import { afterPageLoad } from '../shared/page-ready.js';
import { readSession } from '../shared/session-state.js';
import type { WidgetPanel } from './widget-panel.js';
import { styles } from './widget.styles.js';

export interface StartChatOptions {
  topic?: string;
  text?: string;
}

export interface OpenFormOptions {
  service?: string;
  type?: RequestKind;
}

/**
 * Attribute → property: the attributes the element reads, each an accessor over the attribute
 * itself, made from this map and ABSENT below the class, documented on the class as `declare`
 * fields (scripts/manifest.mjs documents them from this map and those docs).
 */
const ATTRIBUTES = {
  endpoint: 'endpoint',
  site: 'site',
  locale: 'locale',
  position: 'position',
  modes: 'modes',
  theme: 'theme',
  transport: 'transport',
  jurisdiction: 'jurisdiction',
  'api-key': 'apiKey',
  open: 'isOpen',
  'large-text': 'largeText',
  'text-size': 'textSize',
  'hide-language-picker': 'hideLanguagePicker',
  phone: 'phone',
} as const;
/**
 * Each accessor's value when its attribute is absent: a text (`endpoint` is `''`), `false` for a
 * boolean attribute (present or not), none (`undefined`) for the rest. Setting `undefined` or
 * `null` removes a text attribute.
 */
const ABSENT: Partial<Record<(typeof ATTRIBUTES)[keyof typeof ATTRIBUTES], string | false>> = {
  endpoint: '',
  site: '',
  position: 'bottom-end',
  modes: '',
  theme: 'light',
  transport: 'intake',
  isOpen: false,
  largeText: false,
  hideLanguagePicker: false,
};
/** Properties a page may set before the tag is registered (registration waits for the page to load). */
const PROPERTIES = [...Object.values(ATTRIBUTES), 'client', 'strings'] as const;
const SVG = 'http://www.w3.org/2000/svg';

const STORAGE_PREFIX = 'intake-widgets:open:';
const LARGE_TEXT_PREFIX = 'intake-widgets:large-text:';

/**
 * The launcher and its floating panel with Chat, Form and My requests. Before the resident shows
 * intent (hover, focus or click on the launcher, or `open()`), only the launcher exists; the
 * panel, the views, the client, Lit's renderer and the translations load then.
 *
 * The launcher is the one part of the library a page pays for before intent, so it is a plain
 * custom element (no Lit): its attributes are accessors over the attributes, its button is built
 * once with DOM calls and updated in place. It is a `ReactiveControllerHost`, so the panel's
 * controllers (localize, floating, focus trap…) attach to it as they would to a LitElement, and
 * the panel renders itself into the element's shadow root with lit-html.
 *
 * @tag intake-widget
 * @event {IntakeOpenEvent} intake-open - The panel opened.
 * @event {IntakeCloseEvent} intake-close - The panel closed.
 * @event {IntakeRequestSubmittedEvent} intake-request-submitted - From the form view: the backend accepted a request. `{reference, service, type}`
 * @event {IntakeMessageSentEvent} intake-message-sent - From the chat view: a resident message is safely in the outbox. `{clientId}`
 * @event {IntakeMessageReceivedEvent} intake-message-received - From the chat view: a staff or system message arrived. `{id}`
 * @event {IntakeFeedbackEvent} intake-feedback - From My requests: the resident rated an answer. `{reference, rating}`
 * @event {IntakeErrorEvent} intake-error - Something could not be done (the panel or a view could not load, or a view failed). `{code, message}`
 * @csspart launcher - The round button that opens the panel.
 * @csspart badge - The unread count on the launcher (or "!" for a reply or rating waiting in My requests).
 * @csspart panel - The floating panel (a full-screen sheet below 480 px).
 * @csspart header - The panel's header.
 * @csspart button - Every button in the panel and its views (close, tabs, send…).
 * @csspart tab - A tab: Chat, Form, My requests (also `button`).
 * @csspart close-button - The panel's close button (also `button`).
 * @csspart large-text-button - The large-text toggle in the header (also `button`).
 * @csspart language-picker - The language picker in the header (a `<select>`, each language in its own name).
 * @csspart unavailable - The note beside the launcher when the widget's code cannot be loaded.
 * @csspart unavailable-phone - The site's phone number in that note (a `tel:` link).
 * @csspart log - Chat: the scrolling message list.
 * @csspart message - Chat: one message row.
 * @csspart message-resident - Chat: a message from the resident (also `message`).
 * @csspart message-staff - Chat: a message from staff or the knowledge base (also `message`).
 * @csspart message-system - Chat: a routing or status note (also `message`).
 * @csspart bubble - Chat: the text bubble of a message.
 * @csspart composer - Chat: the area where the resident types.
 * @csspart send-button - Chat: the send button (also `button`).
 * @csspart input - Text inputs, text areas and selects of the views.
 * @csspart field - A question in the form and status views; the chat composer field.
 * @csspart error-summary - Form, My requests: the list of problems after a failed submit.
 * @csspart confirmation - Form: the "request sent" box with the reference number.
 * @csspart request - My requests: one request in the list.
 * @csspart timeline - My requests: a request's status history.
 * @csspart reply - My requests: a department's reply.
 * @cssproperty --intake-launcher-size - Launcher height and minimum width (default 56px).
 * @cssproperty --intake-launcher-offset - Distance from the viewport edges (default 20px).
 * @cssproperty --intake-launcher-offset-block - Distance from the bottom edge (default --intake-launcher-offset).
 * @cssproperty --intake-launcher-offset-inline - Distance from the side edge (default --intake-launcher-offset).
 * @cssproperty --intake-launcher-background - Launcher background (default --intake-color-primary).
 * @cssproperty --intake-launcher-background-hover - Launcher background on hover (default --intake-color-primary-hover).
 * @cssproperty --intake-launcher-color - Launcher text and icon (default --intake-color-on-primary).
 * @cssproperty --intake-launcher-radius - Launcher corners (default --intake-radius-full).
 * @cssproperty --intake-launcher-shadow - Launcher shadow (default --intake-shadow-launcher).
 * @cssproperty --intake-panel-width - Panel width on wide screens (default 380px, 440px large text).
 * @cssproperty --intake-panel-height - Panel height on wide screens (default 620px, 680px large text).
 * @cssproperty --intake-panel-background - Panel background (default --intake-color-surface).
 * @cssproperty --intake-panel-color - Panel text (default --intake-color-text).
 * @cssproperty --intake-panel-border-color - Panel border (default --intake-color-border).
 * @cssproperty --intake-panel-radius - Panel corners (default --intake-radius-lg).
 * @cssproperty --intake-panel-shadow - Panel shadow (default --intake-shadow-panel).
 * @cssproperty --intake-panel-header-background - Panel header (default --intake-color-primary).
 * @cssproperty --intake-panel-header-color - Panel header text and buttons (default --intake-color-on-primary).
 * @cssproperty --intake-language-picker-background - Language picker background (default transparent in the header, --intake-color-surface in a view).
 * @cssproperty --intake-language-picker-color - Language picker text, globe and chevron (default: the header's or view's text).
 * @cssproperty --intake-language-picker-border-color - Language picker border (default currentColor in the header, --intake-color-border-strong in a view).
 * @cssproperty --intake-language-picker-radius - Language picker corners (default --intake-radius-full).
 */
export class IntakeWidget extends ElementBase implements ReactiveControllerHost {
  static readonly styles = [tokens, shared, styles];
  static readonly observedAttributes = Object.keys(ATTRIBUTES);

  /**
   * Backend base URL, e.g. `https://intake.example.gov/api/v1`. Required.
   * @default ''
   */
  declare endpoint: string;

  /**
   * Site id, e.g. `district-07/street-3/community-12`. Required.
   * @default ''
   */
  declare site: string;

  /**
   * `zh-CN`, `en`, `zh-HK`, `ug`; default from `<html lang>`, then the browser. A language the
   * resident chose in the panel's picker wins over it for this site (remembered in this browser)
   * until the resident changes it, or the page changes this attribute while the widget is on it.
   */
  declare locale: string | undefined;

  /**
   * `bottom-end` (default) or `bottom-start`; mirrored in right-to-left languages.
   * @default 'bottom-end'
   */
  declare position: Position;

  /**
   * A subset of `chat form status` (default: all the backend supports).
   * @default ''
   */
  declare modes: string;

  /**
   * `light` (default), `dark` or `auto`.
   * @default 'light'
   */
  declare theme: string;

  /**
   * `intake` (default) or `open311`.
   * @default 'intake'
   */
  declare transport: TransportKind;

  /**
   * The site's phone number, offered beside the launcher when the widget's code cannot be loaded
   * (offline before it was ever cached, blocked, or refused by its integrity hash).
   */
  declare phone: string | undefined;

  /** Open311 only: the `jurisdiction_id` sent with every call (multi-jurisdiction servers). */
  declare jurisdiction: string | undefined;

  /** Open311 only: the `api_key` sent with a new request, when the city's server asks for one. */
  declare apiKey: string | undefined;

  /**
   * Whether the panel is open: the `open` attribute (the `open()` method changes it).
   * @default false
   */
  declare isOpen: boolean;

  /**
   * Larger text and targets for older residents.
   * @default false
   */
  declare largeText: boolean;

  /**
   * `follow`: text scales with the host page's text size (a text-size toolbar), read from the
   * element's parent relative to 16px when the page loads, the panel opens or the window resizes.
   * Otherwise (default) the host's text size never reaches the widget; large text is its own mode.
   */
  declare textSize: string | undefined;

  /**
   * Leaves the language picker out of the panel's header (a site that offers its own switch and
   * sets `locale`). A language the resident chose earlier still applies.
   * @default false
   */
  declare hideLanguagePicker: boolean;

  /** The language the widget speaks: the resident's choice for this site, else `locale`. @internal */
  get activeLocale(): string | undefined {
    return chosenLocale(this.endpoint, this.site) ?? this.locale;
  }

  /** The client to use (tests, custom setups); made from `endpoint` and `site` when unset. */
  get client(): IntakeClientApi | undefined {
    return this.givenClient;
  }
  set client(value: IntakeClientApi | undefined) {
    this.givenClient = value;
    this.requestUpdate();
  }

  /**
   * The site's own strings, laid over the catalogues: per locale
   * (`{"zh-CN": {"chat": {"greeting": "…"}}}`) or for every locale (`{"chat.greeting": "…"}`).
   */
  get strings(): Record<string, unknown> | undefined {
    return this.givenStrings;
  }
  set strings(value: Record<string, unknown> | undefined) {
    this.givenStrings = value;
    this.requestUpdate();
  }

  /** The lazily loaded panel (views, client, translations). @internal */
  get panel(): WidgetPanel | undefined {
    return this.loadedPanel;
  }

  /** The shadow root the panel renders into. @internal */
  get renderRoot(): ShadowRoot {
    return this.shadow;
  }

  private givenClient?: IntakeClientApi;
  private givenStrings?: Record<string, unknown>;
  // The fields below are also widget-intent.ts's (the code that runs only after intent).
  private loadedPanel?: WidgetPanel;
  private unread = 0;

  private readonly shadow: ShadowRoot;
  private readonly root: HTMLDivElement;
  private readonly button: HTMLButtonElement;
  private readonly label: HTMLSpanElement;
  /** The widget's one polite live region: an answer that came out of sight (panel closed, another tab). */
  private readonly announcer: HTMLDivElement;

  private readonly controllers = new Set<ReactiveController>();
  private pending = false;
  private updating: Promise<boolean> = Promise.resolve(true);
  /** What the last update saw, so each change is handled once (as Lit's `changedProperties`). */
  private seen: { position?: string; modes?: string; theme?: string; transport?: string; strings?: unknown; open?: boolean; locale?: string | null } = {};

  private loadingPanel?: Promise<WidgetPanel>;
  /** Shown while open when the panel could not be loaded (showUnavailable). */
  private unavailable?: HTMLDivElement;
  private pageReady = false;
  private wasOpen = false;
  /** The panel was closed on this page (so a stored "open" from the previous page is stale). */
  private closedHere = false;

  constructor() {
    super();
    this.shadow = this.attachShadow({ mode: 'open' });
    adopt(this.shadow, IntakeWidget.styles);
    this.root = this.make('div', 'root');
    this.button = this.make('button', 'launcher', { type: 'button', 'aria-haspopup': 'dialog', popover: 'manual' });
    this.button.setAttribute('part', 'launcher');
    const icon = this.make('svg', 'icon', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, SVG);
    icon.append(this.make('path', '', { d: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z', fill: 'currentColor' }, SVG));
    this.label = this.make('span', 'label');
    // The spaces keep the visible text "Ask us 1" a part of the accessible name "Ask us, 1 unread…".
    this.button.append(icon, ' ', this.label, ' ');
    this.button.addEventListener('click', () => void this.toggle());
    // Intent (hover, focus, a touch's pointerdown before its click): connect to the backend and
    // start loading the panel, so a click finds both on their way.
    for (const type of ['pointerenter', 'focus', 'pointerdown']) this.button.addEventListener(type, this.onIntent);
    this.announcer = this.make('div', 'visually-hidden', { 'aria-live': 'polite' });
    this.root.append(this.button, this.announcer);
    this.shadow.append(this.root);
  }

  /**
   * The panel's code could not be loaded (offline before it was ever cached, blocked, or refused by
   * its integrity hash): instead of a panel that never comes, a note that says so and offers the
   * site's phone number (`phone` attribute, `data-phone` on the script tag) while the launcher stays.
   */
  private showUnavailable(): void {
    const strings = LAUNCHER_STRINGS[resolveLocale(this.activeLocale)];
    const note = (this.unavailable ??= this.make('div', 'unavailable', { role: 'alert', popover: 'manual' }));
    note.setAttribute('part', 'unavailable');
    const line = this.make('p', 'unavailable-text');
    line.textContent = strings.unavailable;
    note.replaceChildren(line);
    const phone = this.phone?.trim();
    if (phone) {
      const call = this.make('p', 'unavailable-text');
      const link = this.make('a', 'unavailable-phone', { href: `tel:${phone.replace(/[^\d+]/g, '')}`, dir: 'ltr' });
      link.setAttribute('part', 'unavailable-phone');
      link.textContent = phone;
      call.append(strings.call, ' ', link);
      note.append(call);
    }
    this.root.append(note);
    note.showPopover?.();
  }

  /** An element with its class and attributes (`ns`: an SVG element). */
  private make<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, attributes?: Record<string, string>): HTMLElementTagNameMap[K];
  private make(tag: string, className: string, attributes: Record<string, string>, ns: string): Element;
  private make(tag: string, className: string, attributes: Record<string, string> = {}, ns?: string): Element {
    const element = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    if (className) element.setAttribute('class', className);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    return element;
  }

  /** The Chat tab was shown: its messages are seen. @internal */
  seenChat(): void {
    if (this.unread === 0) return;
    this.unread = 0;
    this.requestUpdate();
  }

  /** Unread chat messages (the launcher's badge and the Chat tab's). @internal */
  get unreadCount(): number {
    return this.unread;
  }

  /** A language chosen in another element of this page (an inline form for the same site). */
  private readonly onLanguageChoice = () => this.requestUpdate();

  connectedCallback(): void {
    // A page (or framework) may have set properties before the tag was registered: they sit on
    // the instance and hide the accessors until moved onto them.
    for (const key of PROPERTIES) {
      if (Object.prototype.hasOwnProperty.call(this, key)) {
        const value: unknown = this[key];
        Reflect.deleteProperty(this, key);
        Reflect.set(this, key, value);
      }
    }
    // Every listener on the page goes with one abort() when the element leaves it.
    const signal = (this.listening = new AbortController()).signal;
    languageChoices.addEventListener('change', this.onLanguageChoice, { signal });
    if (!this.largeText && this.readStoredLargeText()) this.largeText = true;
    for (const controller of this.controllers) controller.hostConnected?.();
    this.requestUpdate();
    addEventListener('resize', this.onPageChange, { signal });
    visualViewport?.addEventListener('resize', this.onPageChange, { signal });
    visualViewport?.addEventListener('scroll', this.onPageChange, { signal });
    // A cookie banner dismissed (or shown) with a click: look again at what lies under the launcher.
    document.addEventListener('click', this.onPageChange, { capture: true, signal });
    document.addEventListener('focusin', this.onFocusIn, { capture: true, signal });
    afterPageLoad(this.place);
    afterPageLoad(() => {
      // Removed meanwhile (a single-page app moved on): a late task must not touch what the next
      // widget of this site will read.
      if (!this.isConnected) return;
      this.pageReady = true;
      // Only a resident who filed requests here pays for the check (panel, client, network).
      if (this.site && hasKnownRequests(this.site)) void this.checkRequests();
      // Restores the panel a resident left open on the previous page — unless they already opened
      // or closed it on this one before the page went idle.
      if (!this.wasOpen && !this.isOpen && !this.closedHere && this.readStoredOpen()) this.isOpen = true;
      if (this.isOpen) void this.syncOpen();
    });
  }

  private listening?: AbortController;
  private placing = false;
  /** Many events (resize, scroll, clicks), one look after idle. */
  private readonly onPageChange = () => {
    if (this.placing) return;
    this.placing = true;
    afterPageLoad(() => {
      this.placing = false;
      this.place();
      this.requestUpdate();
    });
  };

  /**
   * Places the closed launcher by the visual viewport (a phone page wider than the screen grows
   * the fixed layer past the screen), then keeps it off a fixed host bar in its corner (a cookie
   * banner's Accept, a back-to-top button): lifted above the highest such element under it.
   */
  private readonly place = () => {
    const button = this.button;
    if (!this.isConnected || this.isOpen) return;
    const vv = visualViewport;
    const root = document.documentElement;
    const zoom = (button as HTMLElement & { currentCSSZoom?: number }).currentCSSZoom || 1;
    const px = (value: number) => (value > 0.5 ? `${Math.round(value / zoom)}px` : '');
    const style = (name: string, value: string) => {
      if (button.style.getPropertyValue(name) !== value) button.style.setProperty(name, value);
    };
    if (vv) {
      // The fixed layer: the root's box, or the whole grown layout viewport (more than a scrollbar).
      const width = innerWidth - root.clientWidth > 30 ? innerWidth : root.clientWidth;
      const height = innerHeight - root.clientHeight > 30 ? innerHeight : root.clientHeight;
      const right = (this.normalised.position === 'bottom-end') === (this.root.dir !== 'rtl');
      style('--_vv-inline', px(right ? width - vv.offsetLeft - vv.width : vv.offsetLeft));
      style('--_vv-block', px(height - vv.offsetTop - vv.height));
    }
    // Measured where it would sit unlifted, without moving it there.
    const lifted = (parseFloat(button.style.getPropertyValue('--_lift')) || 0) * zoom;
    const box = button.getBoundingClientRect();
    const bottom = box.bottom + lifted;
    let top = bottom;
    for (const x of [box.left + 4, box.right - 4]) {
      for (const y of [box.top + lifted + 4, bottom - 4]) {
        for (const element of document.elementsFromPoint(x, y)) {
          if (element === this || element === document.body || element === document.documentElement) continue;
          if (/fixed|sticky/.test(getComputedStyle(element).position)) top = Math.min(top, element.getBoundingClientRect().top);
        }
      }
    }
    // Never lifted off the upper half of the screen: then covering beats vanishing.
    style('--_lift', bottom - top > 0 && bottom - top < (vv?.height ?? innerHeight) / 2 ? `${Math.ceil((bottom - top + 8) / zoom)}px` : '');
  };

  /**
   * A focused host element is never left under the launcher (WCAG 2.4.11): scrolled into view as
   * the browser would (centred), then clear of the launcher, or at the page's end the launcher
   * steps up above it until focus moves on.
   */
  private readonly onFocusIn = (event: FocusEvent) => {
    const button = this.button;
    const target = event.target;
    button.style.removeProperty('--_dodge');
    if (!(target instanceof Element) || target === this) return;
    let r = target.getBoundingClientRect();
    if (r.top < 0 || r.bottom > innerHeight) {
      target.scrollIntoView({ block: 'center', inline: 'nearest' });
      r = target.getBoundingClientRect();
    }
    const l = button.getBoundingClientRect();
    const under = r.left < l.right && l.left < r.right && r.top < l.bottom && l.top < r.bottom;
    if (under) button.style.setProperty('--_dodge', `${Math.ceil(l.bottom - r.top + 8)}px`);
  };

  disconnectedCallback(): void {
    this.listening?.abort();
    for (const controller of this.controllers) controller.hostDisconnected?.();
    this.wasOpen = false;
  }

  attributeChangedCallback(): void {
    this.requestUpdate();
  }

  /** @internal */
  addController(controller: ReactiveController): void {
    this.controllers.add(controller);
    if (this.isConnected) controller.hostConnected?.();
  }

  /** @internal */
  removeController(controller: ReactiveController): void {
    this.controllers.delete(controller);
  }

  /** Schedules one update (launcher, then panel) in a microtask; calls in between share it. @internal */
  requestUpdate(): void {
    if (this.pending) return;
    this.pending = true;
    this.updating = this.updating.then(() => {
      this.update();
      return true;
    });
  }

  /** Resolves once no update is pending (as a LitElement's `updateComplete`). @internal */
  get updateComplete(): Promise<boolean> {
    return this.updating.then(() => (this.pending ? this.updateComplete : true));
  }

  /** The normalised mode list (invalid words are reported and dropped). */
  get modeList(): Mode[] {
    return this.normalised.modes;
  }

  private normalised: { position: Position; modes: Mode[] } = { position: 'bottom-end', modes: ['chat', 'form', 'status'] };

  private update(): void {
    this.pending = false;
    if (!this.isConnected) return;
    // Each attribute is read (and a wrong value reported) once per change.
    const seen = this.seen;
    if (seen.position !== this.position) this.normalised.position = readPosition((seen.position = this.position));
    if (seen.modes !== this.modes) this.normalised.modes = readModes((seen.modes = this.modes));
    if (seen.theme !== this.theme && (seen.theme = this.theme) !== 'light') readTheme(this.theme);
    if (seen.transport !== this.transport && (seen.transport = this.transport) !== 'intake') readTransport(this.transport);
    // The page switched its own language while the widget is on it (its language menu, a
    // framework's binding): that is the newer choice, and the resident's earlier one is dropped.
    const locale = this.getAttribute('locale');
    if (seen.locale !== locale) {
      if (seen.locale && locale) chooseLocale(this.endpoint, this.site, undefined);
      seen.locale = locale;
    }
    // Site strings reach the translations once the panel is in (the panel lays them over the
    // catalogues as it loads): before intent they cost nothing, not even i18next's chunk.
    if (this.loadedPanel && seen.strings !== this.strings && (seen.strings = this.strings)) {
      const strings = this.strings;
      if (strings) void import('../../i18n/i18n.js').then(({ applyStrings }) => applyStrings(strings));
    }
    for (const controller of this.controllers) controller.hostUpdate?.();
    // Written only when it changes: a style write restyles everything below.
    const scale = this.textSize === 'follow' ? String(parseFloat(getComputedStyle(this.parentElement ?? document.documentElement).fontSize) / 16 || 1) : '';
    if (this.style.getPropertyValue('--_text-scale') !== scale) this.style.setProperty('--_text-scale', scale);
    this.renderLauncher();
    // The top layer: a transformed body (a toolbar's `transform: scale`) or a host's z-index can
    // neither move nor cover the launcher there.
    const button = this.button;
    if (button.showPopover && !button.matches(':popover-open')) button.showPopover();
    this.loadedPanel?.renderInto(this.root);
    for (const controller of this.controllers) controller.hostUpdated?.();
    if (seen.open !== this.isOpen) {
      seen.open = this.isOpen;
      if (this.pageReady) void this.syncOpen();
    }
  }
  /** Switches the language at runtime: every view re-renders and the catalogue is fetched again. */
  setLocale(locale: string): void {
    this.locale = locale;
  }

  /** Turns large text on or off and remembers the choice for this site. */
  setLargeText(on: boolean): void {
    this.largeText = on;
    try {
      localStorage.setItem(`${LARGE_TEXT_PREFIX}${this.site}`, on ? '1' : '0');
    } catch {
      // Storage can be blocked; the setting then lasts for this page only.
    }
  }

  private readStoredLargeText(): boolean {
    try {
      return localStorage.getItem(`${LARGE_TEXT_PREFIX}${this.site}`) === '1';
    } catch {
      return false;
    }
  }

  /** Opens the panel (loading it first if needed); resolves once it is on screen. */
  async open(options: { focus?: boolean } = {}): Promise<void> {
    this.isOpen = true;
    await this.syncOpen(options.focus ?? true);
  }

  /** Closes the panel; focus returns to the launcher if it was inside. */
  close(): Promise<void> {
    return this.intent().then(
      (m) => m.close(this),
      () => {
        this.isOpen = false;
        return this.syncOpen();
      },
    );
  }

  /** Opens the panel when it is closed, closes it when it is open. */
  toggle(): Promise<void> {
    return this.isOpen ? this.close() : this.open();
  }

  /** Opens the chat, optionally about a topic and with text put in the composer. */
  startChat(options: StartChatOptions = {}): Promise<void> {
    return this.intent().then((m) => m.select(this, 'chat', options));
  }

  /** Opens the request form, optionally for a service and kind. */
  openForm(options: OpenFormOptions = {}): Promise<void> {
    return this.intent().then((m) => m.select(this, 'form', options));
  }

  /** Opens My requests, optionally on one reference number. */
  showStatus(reference?: string): Promise<void> {
    return this.intent().then((m) => m.select(this, 'status', reference ? { reference } : {}));
  }

  /** Looks whether a request filed from this browser has a new reply or waits for a rating. @internal */
  checkRequests(): Promise<void> {
    return this.intent().then((m) => m.checkRequests(this), () => undefined);
  }

  private loadingIntent?: Promise<typeof import('./widget-intent.js')>;
  /** What runs only after intent (widget-intent.ts, in the panel's chunk), loaded once. */
  private intent(): Promise<typeof import('./widget-intent.js')> {
    this.loadingIntent ??= import('./widget-intent.js').then((m) => {
      m.attach(this);
      return m;
    });
    this.loadingIntent.catch(() => (this.loadingIntent = undefined));
    return this.loadingIntent;
  }

  /** Loads the panel, the views, the client and the translations (once). @internal */
  loadPanel(): Promise<WidgetPanel> {
    if (!this.loadingPanel) {
      // Beside the panel's code: the client and its catalogue fetch start now (widget-warm.ts).
      import('./widget-warm.js').then(({ warm }) => warm(this), () => undefined);
      this.loadingPanel = Promise.all([import('./widget-panel.js'), this.intent()]).then(async ([{ WidgetPanel }]) => {
        const panel = new WidgetPanel(this);
        await panel.ready();
        this.loadedPanel = panel;
        this.requestUpdate();
        await this.updateComplete;
        return panel;
      });
      this.loadingPanel.catch((error: unknown) => {
        this.loadingPanel = undefined;
        emit(this, 'intake-error', { code: 'load_failed', message: error instanceof Error ? error.message : String(error) });
      });
    }
    return this.loadingPanel;
  }

  /** The launcher button (for focus return and tests). @internal */
  get launcher(): HTMLButtonElement {
    return this.button;
  }

  /**
   * Brings the panel to the `open` attribute (widget-intent.ts). When that code cannot be loaded,
   * open shows the could-not-load note and close takes it away.
   */
  private syncOpen(focus = false): Promise<void> {
    return this.intent().then(
      (m) => m.syncOpen(this, focus),
      () => {
        this.unavailable?.remove();
        this.wasOpen = this.isOpen;
        if (this.isOpen) this.showUnavailable();
      },
    );
  }

  private storageKey(): string {
    return `${STORAGE_PREFIX}${this.site}`;
  }

  private readStoredOpen(): boolean {
    return readSession(this.storageKey()) === '1';
  }

  private onIntent = () => {
    preconnect(this.endpoint);
    void this.loadPanel().catch(() => undefined);
  };

  /** Brings the launcher up to date: label (translated once the panel is in), state, badge. */
  private renderLauncher(): void {
    const locale = this.loadedPanel?.locale ?? resolveLocale(this.activeLocale);
    const panel = this.loadedPanel;
    const label = panel?.t('widget.launcher') ?? LAUNCHER_STRINGS[resolveLocale(this.activeLocale)].launcher;
    // Only what changed is written (as Lit does): a `lang` or `dir` written again, even unchanged,
    // makes the browser restyle the whole panel below it.
    const root = this.root;
    write(root, 'class', `root ${this.normalised.position}`);
    write(root, 'lang', locale);
    write(root, 'dir', directionOf(locale));
    const button = this.button;
    write(button, 'aria-expanded', String(this.isOpen));
    write(button, 'aria-controls', panel ? 'panel' : undefined);
    // aria-label (with the unread count) and the badge: widget-intent.ts, once the panel is in.
    if (this.label.textContent !== label) this.label.textContent = label;
  }
}

/**
 * `<link rel="preconnect" crossorigin>` to the backend's origin in the document's head, once per
 * origin (none for the page's own origin, or an endpoint that is not a URL): the first call after
 * intent then finds the connection (DNS, TCP, TLS) ready. Nothing is sent before intent.
 */
function preconnect(endpoint: string): void {
  let origin: string;
  try {
    origin = new URL(endpoint).origin;
  } catch {
    return;
  }
  if (origin === 'null' || origin === location.origin) return;
  for (const link of document.head.querySelectorAll<HTMLLinkElement>('link[rel=preconnect]')) if (link.href === `${origin}/`) return;
  const link = document.createElement('link');
  link.rel = 'preconnect';
  link.href = origin;
  link.crossOrigin = '';
  document.head.append(link);
}

// The accessors documented on the class (`declare`), each over its attribute (ATTRIBUTES, ABSENT).
for (const [name, key] of Object.entries(ATTRIBUTES)) {
  const absent = ABSENT[key];
  Object.defineProperty(IntakeWidget.prototype, key, {
    configurable: true,
    get(this: Element) {
      return absent === false ? this.hasAttribute(name) : (this.getAttribute(name) ?? absent);
    },
    set(this: Element, value: unknown) {
      if (absent === false) this.toggleAttribute(name, !!value);
      else if (value == null) this.removeAttribute(name);
      else this.setAttribute(name, String(value));
    },
  });
}

/** Sets an attribute (removes it for `undefined`) only when its value changes. */
function write(element: Element, name: string, value: string | undefined): void {
  if (element.getAttribute(name) === (value ?? null)) return;
  if (value === undefined) element.removeAttribute(name);
  else element.setAttribute(name, value);
}

declare global {
  interface HTMLElementTagNameMap {
    'intake-widget': IntakeWidget;
  }
}
