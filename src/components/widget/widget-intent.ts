/**
 * What `<intake-widget>` does only once the resident shows intent, kept out of the launcher's
 * bytes (it loads with the panel, in the same chunk): opening and closing, focus return, the
 * unread count and the "reply / rating waiting" notice on the launcher, and what the launcher's
 * live region says. The element (widget.component.ts) keeps thin methods that call these.
 */
import type { ReactiveController } from 'lit';
import { emit } from '../../events/index.js';
import { hasKnownRequests } from '../shared/known-flag.js';
import { writeSession } from '../shared/session-state.js';
import type { IntakeWidget } from './widget.component.js';
import type { WidgetPanel } from './widget-panel.js';

/** The launcher's internals this module works on (private to everyone else). */
interface Host {
  unread: number;
  wasOpen: boolean;
  closedHere: boolean;
  announcer: HTMLDivElement;
  button: HTMLButtonElement;
  unavailable?: HTMLDivElement;
  showUnavailable(): void;
  storageKey(): string;
}
const inside = (host: IntakeWidget) => host as unknown as Host;
/** A request filed from this browser has a reply not yet seen, or waits for a rating. */
const notices = new WeakMap<IntakeWidget, 'reply' | 'rating' | undefined>();

/** Says it once, politely: each announcement is a new node, so the same words twice are heard twice. */
function announce(host: IntakeWidget, text: string): void {
  const line = document.createElement('span');
  line.textContent = text;
  inside(host).announcer.replaceChildren(line);
}

/** Listens for what the views report (messages, replies, requests) and keeps the launcher's badge. */
class Notices implements ReactiveController {
  /** The unread count, or "!" for a reply or rating waiting (in the launcher while there is one). */
  private readonly badge = document.createElement('span');

  constructor(private readonly host: IntakeWidget) {
    this.badge.className = 'badge';
    this.badge.setAttribute('part', 'badge');
    this.badge.setAttribute('aria-hidden', 'true');
  }

  /** A chat message: the chat in sight says it itself; out of sight the launcher's region says where it is. */
  private readonly onReceived = () => {
    const host = this.host;
    const panel = host.panel;
    if (host.isOpen && panel?.currentTab === 'chat') return;
    inside(host).unread += 1;
    if (panel) announce(host, host.isOpen ? panel.t('widget.announce.chatTab') : panel.t('widget.announce.chat', { label: panel.t('widget.launcher') }));
    host.requestUpdate();
  };

  /** A reply that came with My requests' refresh, while that view is out of sight. */
  private readonly onReply = () => {
    const host = this.host;
    const panel = host.panel;
    if (!panel || (host.isOpen && panel.currentTab === 'status')) return;
    announce(host, panel.t('widget.announce.reply'));
    void host.checkRequests();
  };

  private readonly onRequestChange = () => void this.host.checkRequests();

  hostConnected(): void {
    this.host.addEventListener('intake-message-received', this.onReceived);
    this.host.addEventListener('intake-reply-arrived', this.onReply);
    this.host.addEventListener('intake-request-submitted', this.onRequestChange);
    this.host.addEventListener('intake-feedback', this.onRequestChange);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('intake-message-received', this.onReceived);
    this.host.removeEventListener('intake-reply-arrived', this.onReply);
    this.host.removeEventListener('intake-request-submitted', this.onRequestChange);
    this.host.removeEventListener('intake-feedback', this.onRequestChange);
  }

  /** The badge and the launcher's accessible name with the count or the notice (once the panel is in). */
  hostUpdated(): void {
    const host = this.host;
    const { unread, button } = inside(host);
    const badge = this.badge;
    const notice = notices.get(host);
    const panel = host.panel;
    const label = panel?.t('widget.launcher');
    const unreadLabel = !panel
      ? undefined
      : unread > 0
        ? panel.t('widget.launcherUnread', { label, count: unread })
        : notice
          ? panel.t(notice === 'reply' ? 'widget.launcherReply' : 'widget.launcherRating', { label })
          : undefined;
    write(button, 'aria-label', unreadLabel);
    if (unread > 0 || notice) {
      const text = unread > 99 ? '99+' : unread > 0 ? String(unread) : '!';
      if (badge.textContent !== text) badge.textContent = text;
      write(badge, 'data-notice', unread > 0 ? undefined : notice);
      if (!badge.isConnected) button.append(badge);
    } else badge.remove();
  }
}

/** Sets an attribute (removes it for `undefined`) only when its value changes. */
function write(element: Element, name: string, value: string | undefined): void {
  if (element.getAttribute(name) === (value ?? null)) return;
  if (value === undefined) element.removeAttribute(name);
  else element.setAttribute(name, value);
}

const attached = new WeakSet<IntakeWidget>();

/** Attaches the notices to a widget (once); called when this module loads for it. */
export function attach(host: IntakeWidget): void {
  if (attached.has(host)) return;
  attached.add(host);
  host.addController(new Notices(host));
  host.requestUpdate();
}

/** Brings the panel to the `open` attribute: loads and shows it, or hides it; events and focus follow. */
export async function syncOpen(host: IntakeWidget, focus: boolean): Promise<void> {
  const state = inside(host);
  const open = host.isOpen;
  if (open === state.wasOpen) {
    if (open && focus) host.panel?.focusView();
    return;
  }
  state.wasOpen = open;
  if (!open) state.closedHere = true;
  writeSession(state.storageKey(), open ? '1' : null);
  state.unavailable?.remove();
  if (open) {
    const panel = await host.loadPanel().catch(() => undefined);
    if (!panel && host.isOpen) state.showUnavailable();
    if (!panel || !host.isOpen) return;
    await host.updateComplete;
    // Closed again while it rendered: do not trap focus in, or clear the badge of, a closed panel.
    if (!host.isOpen) return;
    panel.opened(focus);
    // Opened on another tab, the Chat tab keeps its unread count until it is shown.
    if (panel.currentTab === 'chat') state.unread = 0;
    host.requestUpdate();
    emit(host, 'intake-open', {});
  } else {
    host.panel?.closed();
    if (notices.get(host) || hasKnownRequests(host.site)) void host.checkRequests();
    emit(host, 'intake-close', {});
  }
}

/** Closes the panel; focus returns to the launcher if it was inside. */
export async function close(host: IntakeWidget): Promise<void> {
  // Where focus is, not `:focus-within`: that one stops matching while the browser window is
  // in the background, and focus must still come back to the launcher there.
  const active = document.activeElement;
  const hadFocus = !!active && (active === host || host.contains(active));
  host.isOpen = false;
  await syncOpen(host, false);
  if (hadFocus) inside(host).button.focus({ preventScroll: true });
}

/** Opens a view of the panel with its options (startChat, openForm, showStatus). */
export async function select(host: IntakeWidget, ...args: Parameters<WidgetPanel['select']>): Promise<void> {
  const panel = await host.loadPanel();
  panel.select(...args);
  await host.open();
}

/** Looks whether a request filed from this browser has a new reply or waits for a rating. */
export async function checkRequests(host: IntakeWidget): Promise<void> {
  try {
    const panel = await host.loadPanel();
    const client = panel.client;
    if (!client) return;
    const { requestNotice } = await import('../shared/request-notice.js');
    notices.set(host, await requestNotice(client));
    host.requestUpdate();
  } catch {
    // A failed check only means no notice; the views report their own problems.
  }
}
