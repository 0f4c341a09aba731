/**
 * Follows the visual viewport (it shrinks when the on-screen keyboard opens) so a full-screen
 * sheet can keep its composer above the keyboard: sets --intake-viewport-height/-top on a target.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class VisualViewportController implements ReactiveController {
  private target: HTMLElement | undefined;
  private readonly update = () => {
    const vv = window.visualViewport;
    if (!this.target || !vv) return;
    this.target.style.setProperty('--intake-viewport-height', `${Math.round(vv.height)}px`);
    this.target.style.setProperty('--intake-viewport-top', `${Math.round(vv.offsetTop)}px`);
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
    this.target.style.removeProperty('--intake-viewport-height');
    this.target.style.removeProperty('--intake-viewport-top');
    this.target = undefined;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stop();
  }
}
