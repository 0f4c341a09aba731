import { executeServerCommand } from '@web/test-runner-commands';

/**
 * What a screen reader is told: every addition to a live region inside the given shadow roots
 * (and the shadow roots inside them), counted as the browser reports it. A region is an element
 * with `aria-live` other than "off", or role log/status/alert without `aria-live="off"`; text
 * changes count only where `aria-relevant` includes "text" (status and alert do by default, log not).
 */
export interface Announcement {
  text: string;
  region: string;
}

function regionOf(node: Node | null): Element | null {
  for (let n: Node | null = node; n; n = n.parentNode) {
    if (!(n instanceof Element)) continue;
    const live = n.getAttribute('aria-live');
    if (live === 'off') return null;
    if (live === 'polite' || live === 'assertive') return n;
    if (/^(log|status|alert)$/.test(n.getAttribute('role') ?? '')) return n;
  }
  return null;
}

function relevant(region: Element, what: 'additions' | 'text'): boolean {
  const explicit = region.getAttribute('aria-relevant');
  if (explicit) return explicit.split(/\s+/).some((x) => x === what || x === 'all');
  return true;
}

/** Hidden regions (display: none, in a closed panel) say nothing. */
function shown(el: Element): boolean {
  return (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === 'fixed' || el.getClientRects().length > 0;
}

export class LiveRecorder {
  readonly heard: Announcement[] = [];
  private observers: MutationObserver[] = [];
  private roots = new Set<ShadowRoot>();

  constructor(private readonly host: Element) {
    this.watch();
  }

  /** Picks up shadow roots made since (views that load later). */
  watch(): void {
    const visit = (root: ShadowRoot) => {
      if (!this.roots.has(root)) {
        this.roots.add(root);
        const observer = new MutationObserver((records) => this.record(records));
        observer.observe(root, { childList: true, subtree: true, characterData: true, characterDataOldValue: true });
        this.observers.push(observer);
      }
      for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) visit(el.shadowRoot);
    };
    if (this.host.shadowRoot) visit(this.host.shadowRoot);
  }

  private record(records: MutationRecord[]): void {
    records.forEach((r, i) => {
      const region = regionOf(r.target);
      if (!region || !shown(region)) return;
      const name = `${region.getAttribute('role') ?? region.tagName.toLowerCase()}.${region.className}`;
      if (r.type === 'characterData') {
        // The value this change wrote: the old value of the next change to the same node, or what it holds now.
        const later = records.slice(i + 1).find((x) => x.type === 'characterData' && x.target === r.target);
        const text = (later ? later.oldValue ?? '' : r.target.textContent ?? '').trim();
        if (text && relevant(region, 'text')) this.heard.push({ text, region: name });
        return;
      }
      for (const node of Array.from(r.addedNodes)) {
        const text = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
        if (!text) continue;
        // Added empty and filled in the same batch: the fill is counted (once) as the change.
        if (records.slice(i + 1).some((x) => x.type === 'characterData' && node.contains(x.target))) continue;
        if (relevant(region, 'additions')) this.heard.push({ text, region: name });
      }
    });
  }

  texts(): string[] {
    return this.heard.map((h) => h.text);
  }

  stop(): void {
    for (const o of this.observers) o.disconnect();
  }
}

/** Chromium's accessibility tree (null in other engines). */
export interface AXNode {
  role: string;
  name: string;
  description: string;
  properties: Record<string, unknown>;
}

export async function axTree(): Promise<AXNode[] | null> {
  return (await executeServerCommand<{ nodes: AXNode[] | null }, undefined>('ax-tree')).nodes;
}
