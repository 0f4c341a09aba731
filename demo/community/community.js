// Community portal: <intake-form> and <intake-status> inline in the page, <intake-ask> beside the
// notices, and the floating <intake-widget>. ES module; the inline views load when present.
import { addScript } from '../shared/portal.js';

// A request filed in the inline form shows up at once in the inline "track" section.
const status = document.querySelector('intake-status');
document.querySelector('intake-form')?.addEventListener('intake-request-submitted', (event) => {
  if (status && event.detail?.reference) status.setAttribute('reference', event.detail.reference);
});

// ../shared/portal.js has given every data-demo-endpoint element its endpoint by now.
await addScript({ type: 'module', src: '/dist/intake-widgets.js' });
