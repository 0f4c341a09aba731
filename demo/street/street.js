// Street-office portal: the ES module and <intake-widget>. The element is in the HTML; its
// endpoint comes from /demo/config.json (set by ../shared/demo-config.js), then the library loads.
import { addScript, config, lang, moduleSnippet, showSnippet } from '../shared/portal.js';

const widget = document.querySelector('intake-widget');

showSnippet('module', moduleSnippet({ endpoint: config.apiBase, site: widget.getAttribute('site'), locale: lang, position: 'bottom-start' }));
for (const button of document.querySelectorAll('[data-widget-action]')) {
  button.addEventListener('click', async () => {
    await customElements.whenDefined('intake-widget');
    const action = button.dataset.widgetAction;
    if (action === 'openForm') await widget.openForm(button.dataset.service ? { service: button.dataset.service } : {});
    else if (action === 'showStatus') await widget.showStatus();
    else await widget.startChat();
  });
}

await addScript({ type: 'module', src: '/dist/intake-widgets.js' });

