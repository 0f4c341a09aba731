/** Stops the page behind a full-screen sheet from scrolling; restores exactly what was there. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

let locks = 0;
let saved: { overflow: string; paddingRight: string } | undefined;

export class ScrollLockController implements ReactiveController {
  private locked = false;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  get isLocked(): boolean {
    return this.locked;
  }

  lock(): void {
    if (this.locked) return;
    this.locked = true;
    if (locks++ === 0) {
      const root = document.documentElement;
      saved = { overflow: root.style.overflow, paddingRight: root.style.paddingRight };
      // A classic scrollbar is a few px wide; more is a phone page wider than the screen (the
      // layout viewport grew to the content), which has no scrollbar to make up for.
      const scrollbar = window.innerWidth - root.clientWidth;
      root.style.overflow = 'hidden';
      if (scrollbar > 0 && scrollbar <= 30) root.style.paddingRight = `${scrollbar}px`;
    }
  }

  unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    if (--locks === 0 && saved) {
      const root = document.documentElement;
      root.style.overflow = saved.overflow;
      root.style.paddingRight = saved.paddingRight;
      saved = undefined;
    }
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.unlock();
  }
}
