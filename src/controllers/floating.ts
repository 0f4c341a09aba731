/**
 * The one wrapper around @floating-ui/dom. Every floating thing (the widget's panel, the
 * `<intake-ask>` hint) is placed through it: `start()` begins `autoUpdate`, `stop()` ends it, and
 * the host disconnecting always stops it, so no listener outlives a closed panel.
 */
import { autoUpdate, computePosition, flip, offset, shift, size, type Middleware, type Placement } from '@floating-ui/dom';
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
    if (this.options.size) {
      middleware.push(size({
        padding,
        apply({ availableWidth, availableHeight }) {
          floating.style.setProperty('--intake-available-width', `${Math.max(0, Math.floor(availableWidth))}px`);
          floating.style.setProperty('--intake-available-height', `${Math.max(0, Math.floor(availableHeight))}px`);
        },
      }));
    }
    const strategy = this.options.strategy ?? 'absolute';
    const { x, y, placement } = await computePosition(reference, floating, { placement: this.options.placement, strategy, middleware });
    // A stop() while computing must not leave a stale position behind.
    if (this.elements !== elements) return;
    floating.style.position = strategy;
    floating.style.left = `${Math.round(x)}px`;
    floating.style.top = `${Math.round(y)}px`;
    floating.dataset['placement'] = placement;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stop();
  }
}
