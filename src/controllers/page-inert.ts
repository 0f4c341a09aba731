/**
 * Makes the host page behind the modal phone sheet inert (out of the accessibility tree and of
 * reach): every sibling along the widget's chain of ancestors up to <body>. Remembers what it set
 * and restores exactly that; a host's own inert elements are left alone.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class PageInertController implements ReactiveController {
  private made: Element[] = [];

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  get active(): boolean {
    return this.made.length > 0;
  }

  /** Everything on the page but `keep` (and its ancestors) becomes inert. */
  activate(keep: Element): void {
    this.deactivate();
    for (let el: Element | null = keep; el && el !== document.body && el !== document.documentElement; el = el.parentElement) {
      for (const sibling of Array.from(el.parentElement?.children ?? [])) {
        // Scripts and styles have nothing to hide; an element the host made inert stays the host's.
        if (sibling === el || sibling.hasAttribute('inert') || /^(SCRIPT|STYLE|LINK|TEMPLATE)$/.test(sibling.tagName)) continue;
        sibling.setAttribute('inert', '');
        this.made.push(sibling);
      }
    }
  }

  deactivate(): void {
    for (const el of this.made.splice(0)) el.removeAttribute('inert');
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.deactivate();
  }
}
