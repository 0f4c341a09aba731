/**
 * Routing of one service, as a table: every site in tree order, the department its requests go
 * to, and whether that is a rule of the site itself or inherited (from a site above, or the
 * service's own department). The nearest rule up the chain wins, as on the server.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { CatalogueFile, RouteEntry } from '../server/catalogue/catalogue-file.js';
import { language, t } from './i18n.js';
import { errorAt, inputId, shown, siteChain, siteTree, type EditorContext } from './staff-catalogue-shared.js';

/** The routing draft of one service: site id → department id, for the sites with a rule of their own. */
export interface RoutesDraft {
  service: string;
  rules: Record<string, string>;
}

export function routesDraft(file: CatalogueFile, service: string): RoutesDraft {
  const rules: Record<string, string> = {};
  for (const r of file.routes) if (r.service === service) rules[r.site] = r.department;
  return { service, rules };
}

/** What to write and remove to go from the rules saved to the draft. */
export function routeChanges(file: CatalogueFile, draft: RoutesDraft): { put: RouteEntry[]; remove: RouteEntry[] } {
  const before = routesDraft(file, draft.service).rules;
  const put: RouteEntry[] = [];
  const remove: RouteEntry[] = [];
  for (const [site, department] of Object.entries(draft.rules)) if (before[site] !== department) put.push({ service: draft.service, site, department });
  for (const [site, department] of Object.entries(before)) if (!(site in draft.rules)) remove.push({ service: draft.service, site, department });
  return { put, remove };
}

/** Where a site's requests for the service go without a rule of its own, and why. */
function inherited(file: CatalogueFile, draft: RoutesDraft, siteId: string): { department: string; from: string | null } {
  for (const site of siteChain(file.sites, siteId).slice(1)) {
    const rule = draft.rules[site.id];
    if (rule) return { department: rule, from: site.id };
  }
  const service = file.services.find((s) => s.id === draft.service);
  return { department: service?.department ?? '', from: null };
}

export function routesForm(ctx: EditorContext, draft: RoutesDraft): TemplateResult {
  const file = ctx.file;
  const lang = language();
  const deptName = (id: string) => shown(file.departments.find((d) => d.id === id)?.names, lang) || id;
  const siteName = (id: string) => shown(file.sites.find((s) => s.id === id)?.names, lang) || id;
  const service = file.services.find((s) => s.id === draft.service);
  return html`
    <p class="hint">${t('catalogue:routes.hint', { department: deptName(service?.department ?? '') })}</p>
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">${t('catalogue:routes.caption', { service: shown(service?.names, lang) })}</caption>
        <thead><tr><th scope="col">${t('catalogue:routes.site')}</th><th scope="col">${t('catalogue:routes.department')}</th></tr></thead>
        <tbody>
          ${siteTree(file.sites).map(({ site, depth }) => {
            const own = draft.rules[site.id];
            const from = inherited(file, draft, site.id);
            const id = inputId(`rules.${site.id}`);
            const inheritLabel = from.from
              ? t('catalogue:routes.inheritFromSite', { department: deptName(from.department), site: siteName(from.from) })
              : t('catalogue:routes.inheritFromService', { department: deptName(from.department) });
            return html`<tr class=${own ? 'own' : ''} data-site=${site.id}>
              <th scope="row"><label for=${id} class="depth-${Math.min(depth, 3)}">${shown(site.names, lang)}</label></th>
              <td>
                <select id=${id} @change=${(e: Event) => {
                  const value = (e.target as HTMLSelectElement).value;
                  if (value) draft.rules[site.id] = value;
                  else delete draft.rules[site.id];
                  ctx.changed();
                }}>
                  <option value="" ?selected=${!own}>${inheritLabel}</option>
                  ${file.departments.map((d) => html`<option value=${d.id} ?selected=${own === d.id}>${shown(d.names, lang)}</option>`)}
                </select>
                ${own ? html`<span class="badge own-badge">${t('catalogue:routes.ownRule')}</span>` : nothing}
                ${errorAt(ctx, `rules.${site.id}`)}
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
  `;
}
