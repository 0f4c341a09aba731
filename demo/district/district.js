// District portal: the classic script-tag embed. A real site pastes the tag into its HTML; here
// the backend address comes from /demo/config.json, so the tag is written once it is known, with
// data-locale from the language switch.
import { addScript, config, lang, showSnippet } from '../shared/portal.js';

const SITE = 'riverside';
const src = new URL('/dist/intake-widgets.iife.js', location.href).href;

showSnippet('script-tag', `<script src="${src}"\n        data-endpoint="${config.apiBase}"\n        data-site="${SITE}" data-locale="${lang}" async></script>`);

// Calls made before the script has loaded wait in this queue; the library runs them on mount.
window.IntakeWidgets = window.IntakeWidgets || [];
for (const button of document.querySelectorAll('[data-intake-command]')) {
  button.addEventListener('click', () => {
    const command = button.dataset.intakeCommand;
    const service = button.dataset.service;
    window.IntakeWidgets.push(command === 'openForm' && service ? [command, { service }] : [command]);
  });
}

await addScript({
  src,
  'data-endpoint': config.apiBase,
  'data-site': SITE,
  'data-locale': lang,
  'data-large-text': document.documentElement.classList.contains('large-text'),
  async: true,
});
