// Points the widget at the reference server's Open311 door (`<apiBase without /api/v1>/open311/v2`)
// and gives it a client that names the jurisdiction (the widget's attributes do not carry one).
import { config } from '/demo/shared/demo-config.js';
import { IntakeClient } from '/dist/index.js';
import '/dist/intake-widgets.js';

const open311Base = `${config.apiBase.replace(/\/api\/v1\/?$/, '')}/open311/v2`;
for (const el of document.querySelectorAll('[data-open311-base]')) el.textContent = open311Base;

const widget = document.querySelector('intake-widget');
const site = widget.getAttribute('site');
widget.setAttribute('endpoint', open311Base);
widget.client = new IntakeClient({
  endpoint: open311Base,
  site,
  transport: 'open311',
  // On the reference server the jurisdiction_id is the site id.
  jurisdiction: site,
  locale: widget.getAttribute('locale') ?? document.documentElement.lang ?? 'en',
});
