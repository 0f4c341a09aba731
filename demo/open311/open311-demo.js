// The Open311 portal: <intake-widget transport="open311"> on the reference server's Open311
// GeoReport v2 door. Its address comes from /demo/config.json (../shared/demo-config.js): the door
// is `<server>/open311/v2`, beside `<server>/api/v1`. Only attributes: the widget makes its own
// client from `endpoint`, `site`, `transport` and `jurisdiction`.
import { addScript, config, isEnglish, lang, moduleSnippet, showSnippet } from '../shared/portal.js';

const open311Base = `${config.apiBase.replace(/\/api\/v1\/?$/, '')}/open311/v2`;
const widget = document.querySelector('intake-widget');
const site = widget.getAttribute('site');
const jurisdiction = widget.getAttribute('jurisdiction') ?? site;

widget.setAttribute('endpoint', open311Base);
for (const el of document.querySelectorAll('[data-open311-base]')) el.textContent = open311Base;
showSnippet('module', moduleSnippet({ endpoint: open311Base, site, transport: 'open311', jurisdiction, locale: lang }));

for (const button of document.querySelectorAll('[data-widget-action]')) {
  button.addEventListener('click', async () => {
    await customElements.whenDefined('intake-widget');
    if (button.dataset.widgetAction === 'showStatus') await widget.showStatus();
    else await widget.openForm();
  });
}

/* ------------------------------------------------------------ the public list (GET requests.json) */

const WORDS = isEnglish
  ? { loading: 'Loading the public list…', empty: 'No reports yet. Yours will appear here.', failed: 'The public list cannot be read right now.', open: 'Open', closed: 'Closed', agency: 'Handled by', noAgency: 'Not assigned yet', notes: 'Latest note', at: 'Reported', count: (n) => `${n} recent ${n === 1 ? 'report' : 'reports'}` }
  : { loading: '正在读取公开列表…', empty: '还没有反映。您提交后会出现在这里。', failed: '暂时无法读取公开列表。', open: '办理中', closed: '已办结', agency: '承办部门', noAgency: '尚未分派', notes: '最新说明', at: '反映时间', count: (n) => `最近 ${n} 条反映` };

const list = document.querySelector('[data-recent-list]');
const state = document.querySelector('[data-recent-state]');
const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** One public report, as text only (descriptions are what residents wrote). */
function reportItem(r) {
  const li = element('li', 'report');
  const head = element('div', 'report-head');
  head.append(element('strong', 'report-service', r.service_name ?? r.service_code ?? ''));
  const closed = String(r.status).toLowerCase() === 'closed';
  head.append(element('span', `report-status ${closed ? 'closed' : 'open'}`, closed ? WORDS.closed : WORDS.open));
  li.append(head);
  if (r.description) li.append(element('p', 'report-text', r.description.length > 160 ? `${r.description.slice(0, 160)}…` : r.description));
  const facts = element('dl', 'report-facts');
  const fact = (term, value) => facts.append(element('dt', '', term), element('dd', '', value));
  fact(WORDS.agency, r.agency_responsible || WORDS.noAgency);
  if (r.requested_datetime) fact(WORDS.at, when.format(new Date(r.requested_datetime)));
  if (r.status_notes) fact(WORDS.notes, r.status_notes);
  li.append(facts);
  const number = element('span', 'report-number', `#${r.service_request_id}`);
  head.append(number);
  return li;
}

async function loadRecent() {
  state.textContent = WORDS.loading;
  try {
    const url = `${open311Base}/requests.json?jurisdiction_id=${encodeURIComponent(jurisdiction)}&locale=${encodeURIComponent(lang)}`;
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(String(response.status));
    const reports = (await response.json()).slice(0, 8);
    list.replaceChildren(...reports.map(reportItem));
    state.textContent = reports.length ? WORDS.count(reports.length) : WORDS.empty;
  } catch {
    state.textContent = WORDS.failed;
  }
}

document.querySelector('[data-recent-refresh]')?.addEventListener('click', () => void loadRecent());
widget.addEventListener('intake-request-submitted', () => void loadRecent());
void loadRecent();

await addScript({ type: 'module', src: '/dist/intake-widgets.js' });
