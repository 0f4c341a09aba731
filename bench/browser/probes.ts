/**
 * In-page side of the interaction, rendering and memory benchmarks, bundled by esbuild and
 * injected into the bench page; Node calls `window.__bench.*` by name. A conversation of any
 * length comes from test/helpers/fake-client.ts, handed to the widget through its public `client`
 * property.
 */
import { FakeClient, makeCatalog } from '../../test/helpers/fake-client.js';
import type { ChatMessage } from '../../src/client/types.js';

type Widget = HTMLElement & {
  client?: unknown;
  updateComplete: Promise<boolean>;
  open(options?: { focus?: boolean }): Promise<void>;
  close(): Promise<void>;
  launcher?: HTMLButtonElement;
  panel?: { positioning: boolean };
};

/** Resolves after the next frame has been produced (rAF, then a task after it). */
const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));

function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

const composerFocused = () => {
  const active = deepActive();
  return active instanceof HTMLTextAreaElement && active.id === 'input';
};

/** Polls once per frame; resolves with the time the condition was first seen. */
function untilFrame(check: () => boolean, timeout = 120_000): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve(performance.now());
      else if (performance.now() - start > timeout) reject(new Error('timed out'));
      else requestAnimationFrame(tick);
    };
    tick();
  });
}

/**
 * Resolves when focus lands in the chat composer (or it already is there). Listens in the
 * widget's shadow root too: a focus move that stays inside the widget (launcher → composer) never
 * reaches the document, because focus events stop where target and relatedTarget meet.
 */
function untilComposerFocused(timeout = 120_000): Promise<number> {
  if (composerFocused()) return Promise.resolve(performance.now());
  const roots: (Document | ShadowRoot)[] = [document];
  const own = widget()?.shadowRoot;
  if (own) roots.push(own);
  return new Promise((resolve, reject) => {
    const stop = () => {
      for (const root of roots) root.removeEventListener('focusin', onFocus, true);
      clearTimeout(timer);
    };
    const onFocus = () => {
      if (!composerFocused()) return;
      stop();
      resolve(performance.now());
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error('composer never focused'));
    }, timeout);
    for (const root of roots) root.addEventListener('focusin', onFocus, true);
  });
}

const widget = () => document.querySelector<Widget>('intake-widget');

async function widgetReady(): Promise<Widget> {
  await customElements.whenDefined('intake-widget');
  await untilFrame(() => !!widget()?.launcher, 60_000);
  return widget()!;
}

/**
 * Clicks the launcher (a DOM click: no hover first, so nothing was preloaded) and times the
 * `intake-open` event, focus in the composer, and the frame after it.
 */
async function clickToInteractive(): Promise<{ openEvent: number; focused: number; painted: number }> {
  const w = await widgetReady();
  let openedAt = 0;
  const opened = new Promise<void>((resolve) =>
    w.addEventListener('intake-open', () => {
      openedAt = performance.now();
      resolve();
    }, { once: true }),
  );
  const focused = untilComposerFocused();
  const t0 = performance.now();
  w.launcher!.click();
  const focusedAt = await focused;
  await opened;
  const painted = await nextFrame();
  return { openEvent: openedAt - t0, focused: focusedAt - t0, painted: painted - t0 };
}

/**
 * The resident's click, made by Node with real input (pointer onto the launcher, down, up: CDP
 * Input events through Playwright's mouse), so what the launcher does on hover and pointerdown
 * counts as it would. `armClick` listens first; `clickResult` gives the times from the pointer's
 * arrival, from pointerdown and from the click (the `click` event's timeStamp) to the
 * `intake-open` event, focus in the composer and the frame after it.
 */
let armed: Promise<{ arrived: number; down: number; click: number; openEvent: number; focused: number; painted: number }> | undefined;

/** When the pointer arrived on `button`, pressed it and clicked it (event time stamps; NaN until then). */
function stampPointer(button: HTMLElement): { arrived: number; down: number; click: number } {
  const stamps = { arrived: NaN, down: NaN, click: NaN };
  const once = (type: string, key: keyof typeof stamps) =>
    button.addEventListener(type, (event) => {
      if (Number.isNaN(stamps[key])) stamps[key] = event.timeStamp;
    }, { once: true, capture: true });
  once('pointerover', 'arrived');
  once('pointerdown', 'down');
  once('click', 'click');
  return stamps;
}

async function armClick(target: 'widget' | 'plain' = 'widget'): Promise<{ x: number; y: number }> {
  if (target === 'plain') return armPlainClick();
  const w = await widgetReady();
  const button = w.launcher!;
  const stamps = stampPointer(button);
  let openedAt = NaN;
  const opened = new Promise<void>((resolve) =>
    w.addEventListener('intake-open', () => {
      openedAt = performance.now();
      resolve();
    }, { once: true }),
  );
  const focused = untilComposerFocused();
  armed = (async () => {
    const focusedAt = await focused;
    await opened;
    const painted = await nextFrame();
    return { ...stamps, openEvent: openedAt, focused: focusedAt, painted };
  })();
  armed.catch(() => undefined);
  const rect = button.getBoundingClientRect();
  return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
}

/** The same real click on the baseline: a plain button that unhides a div and focuses its textarea. */
async function armPlainClick(): Promise<{ x: number; y: number }> {
  await plainPanelClick();
  const button = document.querySelector<HTMLButtonElement>('#plain-launcher')!;
  const box = document.querySelector<HTMLDivElement>('#plain-panel')!;
  box.hidden = true;
  document.querySelector<HTMLTextAreaElement>('#plain-input')!.blur();
  const stamps = stampPointer(button);
  armed = (async () => {
    const focusedAt = await untilFrame(() => !Number.isNaN(stamps.click) && document.activeElement?.id === 'plain-input');
    const painted = await nextFrame();
    box.hidden = true;
    return { ...stamps, openEvent: stamps.click, focused: focusedAt, painted };
  })();
  armed.catch(() => undefined);
  button.scrollIntoView({ block: 'center' });
  await nextFrame();
  const rect = button.getBoundingClientRect();
  return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
}

async function clickResult(): Promise<{ openEvent: number; focused: number; painted: number; fromDown: number; fromArrival: number; pressMs: number }> {
  const t = await armed!;
  armed = undefined;
  return {
    openEvent: t.openEvent - t.click,
    focused: t.focused - t.click,
    painted: t.painted - t.click,
    fromDown: t.painted - t.down,
    fromArrival: t.painted - t.arrived,
    pressMs: t.click - t.down,
  };
}

/** Baseline: the cheapest possible panel, a hidden div with a textarea shown and focused. */
async function plainPanelClick(): Promise<{ focused: number; painted: number }> {
  let box = document.querySelector<HTMLDivElement>('#plain-panel');
  if (!box) {
    box = document.createElement('div');
    box.id = 'plain-panel';
    box.hidden = true;
    const area = document.createElement('textarea');
    area.id = 'plain-input';
    box.append(area);
    const button = document.createElement('button');
    button.id = 'plain-launcher';
    button.textContent = 'Ask';
    button.addEventListener('click', () => {
      box!.hidden = !box!.hidden;
      if (!box!.hidden) area.focus();
    });
    document.body.append(button, box);
  }
  box.hidden = true;
  await nextFrame();
  const t0 = performance.now();
  document.querySelector<HTMLButtonElement>('#plain-launcher')!.click();
  const focused = performance.now();
  const painted = await nextFrame();
  box.hidden = true;
  return { focused: focused - t0, painted: painted - t0 };
}

async function closeWidget(): Promise<void> {
  await widget()?.close();
  await nextFrame();
}

/* ------------------------------------------------------------- long conversation */

function history(count: number): ChatMessage[] {
  const start = Date.parse('2025-03-01T02:00:00.000Z');
  return Array.from({ length: count }, (_, i) => {
    const staff = i % 3 === 2;
    const message: ChatMessage = {
      id: `m-${i + 1}`,
      seq: i + 1,
      author: staff ? 'staff' : 'resident',
      text: staff
        ? `Message #${i} from the bureau: the collection is rescheduled, see https://example.gov/notice/${i} for details.`
        : `Message #${i}: the bins on our street were not emptied this week again.`,
      at: new Date(start + i * 60_000).toISOString(),
    };
    if (staff) message.authorName = 'Sanitation Office';
    else {
      message.clientId = `c-${i}`;
      message.delivery = 'read';
    }
    return message;
  });
}

function chatRoot(): ShadowRoot | null {
  return widget()?.shadowRoot?.querySelector('intake-chat')?.shadowRoot ?? null;
}

/** Replaces any widget with one holding a conversation of `count` messages (fake client). */
async function mountConversation(count: number): Promise<void> {
  const old = widget();
  if (old) {
    await old.close();
    old.remove();
  }
  const client = new FakeClient({ catalog: makeCatalog() });
  client.drafts.set('chat:conversation', true);
  client.historyValue = history(count);
  const w = document.createElement('intake-widget') as Widget;
  w.setAttribute('endpoint', 'https://intake.test/api/v1');
  w.setAttribute('site', 'riverside/xinhua/garden');
  w.setAttribute('locale', 'en');
  w.setAttribute('modes', 'chat');
  w.client = client;
  document.body.append(w);
  await widgetReady();
  await nextFrame();
}

/** Opens the mounted widget; times until the last message is in the log and painted. */
async function openConversation(count: number): Promise<{ lastRendered: number; painted: number; rendered: number }> {
  const w = widget()!;
  const lastText = `#${count - 1}`;
  const t0 = performance.now();
  void w.open();
  const seen = await untilFrame(() => {
    const root = chatRoot();
    if (!root || !composerFocused()) return false;
    if (count === 0) return true;
    const messages = root.querySelectorAll('.log .message');
    return (messages[messages.length - 1]?.textContent ?? '').includes(lastText);
  });
  const painted = await nextFrame();
  return { lastRendered: seen - t0, painted: painted - t0, rendered: chatRoot()?.querySelectorAll('.log .message').length ?? 0 };
}

/* ------------------------------------------------------------- keystrokes */

const keyTimes: { toFrame: number; toPainted: number }[] = [];
let onKey: ((event: KeyboardEvent) => void) | undefined;

function startKeyProbe(): void {
  keyTimes.length = 0;
  onKey = () => {
    const t0 = performance.now();
    requestAnimationFrame(() => {
      const frame = performance.now();
      setTimeout(() => keyTimes.push({ toFrame: frame - t0, toPainted: performance.now() - t0 }), 0);
    });
  };
  window.addEventListener('keydown', onKey, true);
}

function keyCount(): number {
  return keyTimes.length;
}

function stopKeyProbe(): { toFrame: number; toPainted: number }[] {
  if (onKey) window.removeEventListener('keydown', onKey, true);
  onKey = undefined;
  return [...keyTimes];
}

/** Baseline: a plain textarea in the page, focused. */
function focusPlainTextarea(): void {
  let area = document.querySelector<HTMLTextAreaElement>('#plain-typing');
  if (!area) {
    area = document.createElement('textarea');
    area.id = 'plain-typing';
    document.body.append(area);
  }
  area.value = '';
  area.focus();
}

function focusComposer(): boolean {
  const input = chatRoot()?.querySelector<HTMLTextAreaElement>('textarea#input');
  input?.focus();
  return composerFocused();
}

/* ------------------------------------------------------------- open/close cycles */

async function cycles(count: number): Promise<void> {
  const w = await widgetReady();
  for (let i = 0; i < count; i++) {
    await w.open();
    await nextFrame();
    await w.close();
    await nextFrame();
  }
}

function positioning(): boolean {
  return widget()?.panel?.positioning ?? false;
}

async function idleFrames(count: number): Promise<void> {
  for (let i = 0; i < count * 2; i++) await nextFrame();
}

(window as unknown as { __bench: unknown }).__bench = {
  widgetReady: () => widgetReady().then(() => true),
  clickToInteractive,
  armClick,
  clickResult,
  plainPanelClick,
  closeWidget,
  mountConversation,
  openConversation,
  startKeyProbe,
  keyCount,
  stopKeyProbe,
  focusPlainTextarea,
  focusComposer,
  cycles,
  positioning,
  idleFrames,
  composerFocused,
};
