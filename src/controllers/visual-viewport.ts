/**
 * Follows the visual viewport (it shrinks when the on-screen keyboard opens) so a full-screen
 * sheet can keep its composer above the keyboard: sets --intake-viewport-height/-width/-top/-left on a target.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class VisualViewportController implements ReactiveController {
  private target: HTMLElement | undefined;
  private readonly update = () => {
    const vv = window.visualViewport;
    const target = this.target;
    if (!target || !vv) return;
    // In the target's own px: a page zoom (CSS `zoom`) multiplies them again; the visual viewport,
    // not the page, is the screen (a phone page wider than the screen).
    const zoom = (target as HTMLElement & { currentCSSZoom?: number }).currentCSSZoom || 1;
    const set = (name: string, value: number) => target.style.setProperty(`--intake-viewport-${name}`, `${Math.floor(value / zoom)}px`);
    set('height', vv.height);
    set('width', vv.width);
    set('top', vv.offsetTop);
    set('left', vv.offsetLeft);
  };

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  get following(): boolean {
    return this.target !== undefined;
  }

  follow(target: HTMLElement): void {
    this.stop();
    this.target = target;
    window.visualViewport?.addEventListener('resize', this.update);
    window.visualViewport?.addEventListener('scroll', this.update);
    this.update();
  }

  stop(): void {
    if (!this.target) return;
    window.visualViewport?.removeEventListener('resize', this.update);
    window.visualViewport?.removeEventListener('scroll', this.update);
    for (const name of ['height', 'width', 'top', 'left']) this.target.style.removeProperty(`--intake-viewport-${name}`);
    this.target = undefined;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stop();
  }
}
