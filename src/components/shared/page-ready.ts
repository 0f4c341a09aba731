/**
 * Runs `task` once the host page's own content has loaded and the browser is idle, so the
 * widget never competes with the page it is a guest on.
 */
export function afterPageLoad(task: () => void): void {
  const idle = () => {
    if ('requestIdleCallback' in window) window.requestIdleCallback(() => task(), { timeout: 1500 });
    else setTimeout(task, 1);
  };
  if (document.readyState === 'complete') idle();
  else window.addEventListener('load', idle, { once: true });
}
