/**
 * Injected before any page script (addInitScript) on the host-page impact loads: records long
 * tasks, layout shifts and LCP candidates from navigation on, for `window.__impact()` to read.
 */
interface LayoutShift extends PerformanceEntry {
  value: number;
  hadRecentInput: boolean;
}

const longTasks: number[] = [];
let layoutShift = 0;
let shifts = 0;
let lcp = 0;
let fcp = 0;

const observe = (type: string, onEntry: (entry: PerformanceEntry) => void) => {
  try {
    new PerformanceObserver((list) => list.getEntries().forEach(onEntry)).observe({ type, buffered: true });
  } catch {
    // An engine without this entry type reports zero for it.
  }
};

observe('longtask', (e) => longTasks.push(e.duration));
observe('layout-shift', (e) => {
  const shift = e as LayoutShift;
  if (shift.hadRecentInput) return;
  layoutShift += shift.value;
  shifts++;
});
observe('largest-contentful-paint', (e) => (lcp = e.startTime));
observe('paint', (e) => {
  if (e.name === 'first-contentful-paint') fcp = e.startTime;
});

(window as unknown as { __impact: () => unknown }).__impact = () => ({
  longTaskCount: longTasks.length,
  longTaskTotal: longTasks.reduce((a, d) => a + d, 0),
  blockingTime: longTasks.reduce((a, d) => a + Math.max(0, d - 50), 0),
  layoutShift,
  shifts,
  lcp,
  fcp,
  launcher: !!document.querySelector('intake-widget')?.shadowRoot?.querySelector('.launcher'),
});
