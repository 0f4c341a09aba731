/**
 * Keeps Tab and Shift+Tab inside a container while active (the phone sheet is modal). Walks into
 * open shadow roots, so the controls of nested views count too.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function visible(el: Element): boolean {
  const check = (el as Element & { checkVisibility?: () => boolean }).checkVisibility;
  if (check) return check.call(el);
  return (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === 'fixed';
}

/** Focusable elements in tree order, looking through open shadow roots. */
export function tabbables(root: Element | ShadowRoot): HTMLElement[] {
  const found: HTMLElement[] = [];
  const walk = (node: Element | ShadowRoot) => {
    for (const child of Array.from(node.children)) {
      if ((child as HTMLElement).hidden || child.getAttribute('inert') !== null) continue;
      if (child.matches(FOCUSABLE) && visible(child)) found.push(child as HTMLElement);
      if (child.shadowRoot) walk(child.shadowRoot);
      walk(child);
    }
  };
  walk(root);
  return found;
}

/** The element that has focus, looking through shadow roots. */
export function deepActiveElement(doc: Document = document): Element | null {
  let active = doc.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

export class FocusTrapController implements ReactiveController {
  private container: HTMLElement | undefined;
  private readonly onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Tab' || !this.container) return;
    const items = tabbables(this.container);
    if (items.length === 0) {
      event.preventDefault();
      return;
    }
    const first = items[0]!;
    const last = items[items.length - 1]!;
    const active = deepActiveElement();
    if (event.shiftKey && (active === first || !this.contains(active))) {
      event.preventDefault();
      last.focus({ preventScroll: true });
    } else if (!event.shiftKey && (active === last || !this.contains(active))) {
      event.preventDefault();
      first.focus({ preventScroll: true });
    }
  };

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  get active(): boolean {
    return this.container !== undefined;
  }

  activate(container: HTMLElement): void {
    this.deactivate();
    this.container = container;
    document.addEventListener('keydown', this.onKeydown, true);
  }

  deactivate(): void {
    if (!this.container) return;
    document.removeEventListener('keydown', this.onKeydown, true);
    this.container = undefined;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.deactivate();
  }

  private contains(node: Element | null): boolean {
    for (let n: Node | null = node; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) {
      if (n === this.container) return true;
    }
    return false;
  }
}
