/**
 * The one wrapper around @floating-ui/dom. Every floating thing (the widget's panel, the
 * `<intake-ask>` hint) is placed through it: `start()` begins `autoUpdate`, `stop()` ends it, and
 * the host disconnecting always stops it, so no listener outlives a closed panel.
 */
import { autoUpdate, computePosition, flip, offset, platform, shift, size, type Middleware, type Placement, type Platform } from '@floating-ui/dom';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface FloatingOptions {
  placement: Placement;
  /** `fixed` for things that stay put while the page scrolls (the panel). */
  strategy?: 'absolute' | 'fixed';
  /** Gap between reference and floating element in px. */
  offset?: number;
  /** Keep this many px clear of the viewport edges. */
  padding?: number;
  flip?: boolean;
  /** Shrink to the space available: sets --intake-available-width/-height on the floating element. */
  size?: boolean;
}

export interface FloatingElements {
  reference: Element;
  floating: HTMLElement;
}

/** The CSS `zoom` in effect on an element (a page-zoom toolbar's `html { zoom: 1.5 }`); 1 where unsupported. */
export function zoomOf(element: Element): number {
  return (element as Element & { currentCSSZoom?: number }).currentCSSZoom || 1;
}

/**
 * floating-ui 1.8 mixes zoomed viewport px (getBoundingClientRect) with unzoomed CSS px (the
 * floating element's size) under CSS `zoom`: measure everything in viewport px, clip to the
 * visual viewport (a phone page wider than the screen), and convert back when writing.
 */
const viewportPlatform: Platform = {
  ...platform,
  getDimensions(element) {
    const { width, height } = platform.getDimensions(element) as { width: number; height: number };
    const zoom = zoomOf(element);
    return { width: width * zoom, height: height * zoom };
  },
  getClippingRect(args) {
    const vv = window.visualViewport;
    if (!vv || args.strategy !== 'fixed') return platform.getClippingRect(args);
    return { x: vv.offsetLeft, y: vv.offsetTop, width: vv.width, height: vv.height };
  },
};

export class FloatingController implements ReactiveController {
  private cleanup: (() => void) | undefined;
  private elements: FloatingElements | undefined;

  constructor(
    host: ReactiveControllerHost,
    public options: FloatingOptions,
  ) {
    host.addController(this);
  }

  /** True while `autoUpdate` is running. */
  get running(): boolean {
    return this.cleanup !== undefined;
  }

  start(elements: FloatingElements): void {
    this.stop();
    this.elements = elements;
    this.cleanup = autoUpdate(elements.reference, elements.floating, () => void this.reposition());
  }

  stop(): void {
    this.cleanup?.();
    this.cleanup = undefined;
    this.elements = undefined;
  }

  async reposition(): Promise<void> {
    const elements = this.elements;
    if (!elements) return;
    const { reference, floating } = elements;
    const padding = this.options.padding ?? 8;
    const middleware: Middleware[] = [offset(this.options.offset ?? 8)];
    if (this.options.flip !== false) middleware.push(flip({ padding }));
    middleware.push(shift({ padding }));
    const zoom = zoomOf(floating);
    if (this.options.size) {
      middleware.push(size({
        padding,
        apply({ availableWidth, availableHeight }) {
          floating.style.setProperty('--intake-available-width', `${Math.max(0, Math.floor(availableWidth / zoom))}px`);
          floating.style.setProperty('--intake-available-height', `${Math.max(0, Math.floor(availableHeight / zoom))}px`);
        },
      }));
    }
    const strategy = this.options.strategy ?? 'absolute';
    const { x, y, placement } = await computePosition(reference, floating, { placement: this.options.placement, strategy, middleware, platform: viewportPlatform });
    // A stop() while computing must not leave a stale position behind.
    if (this.elements !== elements) return;
    floating.style.position = strategy;
    floating.style.left = `${Math.round(x / zoom)}px`;
    floating.style.top = `${Math.round(y / zoom)}px`;
    floating.dataset['placement'] = placement;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stop();
  }
}
