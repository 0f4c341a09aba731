/**
 * The classic script tag's API, which the loader (src/loader.ts, dist/intake-widgets.iife.js)
 * imports as the ES chunk chunks/embed-<hash>.js and installs over its own tag. Reads its config from its own
 * `<script data-*>` attributes, mounts one `<intake-widget>` once the page has loaded, and
 * exposes `window.IntakeWidgets`: calls pushed before load (`IntakeWidgets.push(['open'])`) run
 * after it; then `open()`, `close()`, `toggle()`, `startChat()`, `openForm()`, `showStatus()`,
 * `setLocale()`, `setLargeText()`, `on(event, fn)` and `off(event, fn)` work directly.
 * `data-strings` (JSON) gives the site's own strings (docs/i18n.md).
 */
import type { OpenFormOptions, StartChatOptions } from './components/widget/widget.component.js';
import type { IntakeWidget } from './components/widget/widget.component.js';
import { afterPageLoad } from './components/shared/page-ready.js';
import { readConfig, type WidgetConfig } from './config.js';
import { defineAll } from './define.js';
import type { IntakeEventDetails, IntakeEventName } from './events/index.js';

export type IntakeCommand =
  | ['open']
  | ['close']
  | ['toggle']
  | ['startChat', StartChatOptions?]
  | ['openForm', OpenFormOptions?]
  | ['showStatus', string?]
  | ['setLocale', string]
  | ['setLargeText', boolean]
  | ['on', IntakeEventName, (event: CustomEvent) => void]
  | ['off', IntakeEventName, (event: CustomEvent) => void];

export interface IntakeWidgetsApi {
  /** The mounted widget, once there is one. */
  readonly widget: IntakeWidget | null;
  readonly config: WidgetConfig | null;
  open(): Promise<void>;
  close(): Promise<void>;
  toggle(): Promise<void>;
  startChat(options?: StartChatOptions): Promise<void>;
  openForm(options?: OpenFormOptions): Promise<void>;
  showStatus(reference?: string): Promise<void>;
  /** Switches the language (`zh-CN`, `en`, `zh-HK`, `ug`); every view re-renders. */
  setLocale(locale: string): Promise<void>;
  /** Turns large text on or off (remembered for the site). */
  setLargeText(on: boolean): Promise<void>;
  on<K extends IntakeEventName>(event: K, handler: (event: CustomEvent<IntakeEventDetails[K]>) => void): void;
  off<K extends IntakeEventName>(event: K, handler: (event: CustomEvent<IntakeEventDetails[K]>) => void): void;
  /** Runs a command now (after load) or queues it (before). Keeps snippets that push working. */
  push(...commands: IntakeCommand[]): number;
}

declare global {
  interface Window {
    IntakeWidgets?: IntakeWidgetsApi | IntakeCommand[];
  }
}

const log = (message: string) => console.error(`[intake-widgets] ${message}`);

/** The commands that are the widget's own methods. */
const COMMANDS = ['open', 'close', 'toggle', 'startChat', 'openForm', 'showStatus', 'setLocale', 'setLargeText'] as const;

/** Builds the API over a script tag; `mount()` runs after the page has loaded. Exported for tests. */
export function createApi(script: HTMLScriptElement | null, queued: IntakeCommand[] = []): IntakeWidgetsApi & { mount(): IntakeWidget | null } {
  let widget: IntakeWidget | null = null;
  let config: WidgetConfig | null = null;
  let mounted = false;
  const pending: IntakeCommand[] = [...queued];
  const listeners = new Map<(event: CustomEvent) => void, EventListener>();

  const withWidget = async (action: (w: IntakeWidget) => Promise<void>): Promise<void> => {
    if (!widget) {
      log('there is no widget to control: check data-endpoint and data-site on the script tag.');
      return;
    }
    await action(widget);
  };

  const run = (command: IntakeCommand): void => {
    if (!Array.isArray(command) || typeof command[0] !== 'string') {
      log(`ignored a queued call that is not [name, ...args]: ${JSON.stringify(command)}`);
      return;
    }
    const [name, ...args] = command;
    const method = (api as unknown as Record<string, unknown>)[name];
    if ((name as string) === 'push' || (name as string) === 'mount' || typeof method !== 'function') {
      log(`unknown command "${name}": expected ${COMMANDS.join(', ')}, on or off.`);
      return;
    }
    const result = (method as (...a: unknown[]) => unknown).apply(api, args);
    if (result instanceof Promise) result.catch((error: unknown) => log(`${name} failed: ${String(error)}`));
  };

  const api = {
    get widget() {
      return widget;
    },
    get config() {
      return config;
    },
    // open, close, toggle, startChat, openForm, showStatus, setLocale, setLargeText: the widget's
    // own methods, once there is a widget (the last two resolve once it has re-rendered).
    ...(Object.fromEntries(
      COMMANDS.map((name) => [
        name,
        (...args: unknown[]) =>
          withWidget(async (w) => {
            await (w[name] as (...a: unknown[]) => unknown).apply(w, args);
            await w.updateComplete;
          }),
      ]),
    ) as Pick<IntakeWidgetsApi, (typeof COMMANDS)[number]>),
    on(event: IntakeEventName, handler: (event: CustomEvent) => void) {
      if (typeof handler !== 'function') return log(`on("${event}", …) needs a function.`);
      const listener: EventListener = (e) => handler(e as CustomEvent);
      listeners.set(handler, listener);
      document.addEventListener(event, listener);
    },
    off(event: IntakeEventName, handler: (event: CustomEvent) => void) {
      const listener = listeners.get(handler);
      if (!listener) return;
      document.removeEventListener(event, listener);
      listeners.delete(handler);
    },
    push(...commands: IntakeCommand[]) {
      for (const command of commands) {
        if (mounted) run(command);
        else pending.push(command);
      }
      return pending.length;
    },
    mount(): IntakeWidget | null {
      if (mounted) return widget;
      mounted = true;
      defineAll();
      const read = (name: string) => script?.getAttribute(name) ?? null;
      config = readConfig(read, 'data-');
      if (!config.endpoint || !config.site) {
        log('not mounted: the script tag needs data-endpoint and data-site, e.g. ' +
          '<script src=".../intake-widgets.iife.js" data-endpoint="https://intake.example.gov/api/v1" data-site="district-07/street-3" async></script>');
      } else {
        const el = document.createElement('intake-widget');
        // Attribute → its value from the config (or the tag): a text, true for a bare attribute, nothing to leave it out.
        const attributes: Record<string, string | boolean | undefined> = {
          endpoint: config.endpoint,
          site: config.site,
          locale: config.locale,
          position: config.position,
          modes: script?.hasAttribute('data-modes') && config.modes.join(' '),
          theme: config.theme,
          transport: config.transport,
          jurisdiction: config.jurisdiction,
          'api-key': config.apiKey,
          'large-text': config.largeText,
          open: config.open,
          'hide-language-picker': script?.hasAttribute('data-hide-language-picker'),
          phone: read('data-phone') ?? undefined,
        };
        for (const [name, value] of Object.entries(attributes)) if (value) el.setAttribute(name, value === true ? '' : value);
        if (config.strings) el.strings = config.strings;
        document.body.append(el);
        widget = el;
      }
      for (const command of pending.splice(0)) run(command);
      return widget;
    },
  };
  return api;
}

/** Installs `window.IntakeWidgets` unless another copy already did (polite second copy). */
export function install(script: HTMLScriptElement | null): IntakeWidgetsApi | null {
  const existing = window.IntakeWidgets;
  if (existing && !Array.isArray(existing)) return null;
  const api = createApi(script, Array.isArray(existing) ? existing : []);
  window.IntakeWidgets = api;
  afterPageLoad(() => api.mount());
  return api;
}
