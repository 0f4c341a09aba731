/**
 * The resident's side in end-to-end tests that drive the widget's form and My requests from the
 * sources (test/e2e/requests.test.ts, ratings.test.ts, delivery.test.ts): a page of the two
 * elements written where Vite serves it, and a rubbish complaint filed through the form.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { Locator } from 'playwright-core';
import { onCloseAll, REPO_ROOT, type ReferenceServer } from './e2e.js';

/**
 * Writes `.tmp/e2e-<name>-<pid>.html`: `<intake-form>` and `<intake-status>` on `site`, in English,
 * against `api`, imported from the sources. Served by Vite from disk: a page answered through
 * page.route() counts as a public address and Chromium then refuses its calls to the loopback
 * server (Local Network Access). Removed by `closeAll()`; returns its path below the demo's root.
 */
export async function writeFormAndStatusPage(api: ReferenceServer, { name, title, site }: { name: string; title: string; site: string }): Promise<string> {
  const path = `.tmp/e2e-${name}-${process.pid}.html`;
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>
      <intake-form endpoint="${api.apiBase}" site="${site}" locale="en"></intake-form>
      <intake-status endpoint="${api.apiBase}" site="${site}" locale="en"></intake-status>
      <script type="module">import '/src/components/form/form.ts'; import '/src/components/status/status.ts';</script>
    </body></html>`;
  await mkdir(`${REPO_ROOT}.tmp`, { recursive: true });
  await writeFile(`${REPO_ROOT}${path}`, body);
  onCloseAll(() => rm(`${REPO_ROOT}${path}`, { force: true }));
  return path;
}

export interface RubbishComplaint {
  description: string;
  location: string;
  /** `anonymous`, or a reply by e-mail. */
  contact: 'anonymous' | { email: string };
  /** A photo, uploaded before the next step (waits until it is done). */
  photo?: { name: string; mimeType: string; buffer: Buffer };
}

/**
 * Files a complaint about rubbish collection (household bins) through `form` (an `<intake-form>`
 * in English, at its first step): kind, service, details, contact, the check step, submit. Returns
 * the reference number shown and the check step's summary text.
 */
export async function fileRubbishComplaint(form: Locator, { description, location, contact, photo }: RubbishComplaint): Promise<{ reference: string; summary: string }> {
  await form.locator('input[name="kind"][value="complaint"]').check();
  await form.locator('button[type="submit"]').click();
  await form.locator('#service-search').fill('rubbish');
  await form.locator('input[name="service"][value="rubbish-collection"]').check();
  await form.locator('button[type="submit"]').click();
  await form.locator('#f-description').fill(description);
  await form.locator('#f-fields-location').fill(location);
  await form.locator('input[name="bin_type"][value="household"]').check();
  if (photo) {
    await form.locator('#f-fields-photos').setInputFiles(photo);
    await form.locator('.file.done').waitFor({ timeout: 15000 });
  }
  await form.locator('button[type="submit"]').click();
  if (contact === 'anonymous') {
    await form.locator('input[name="contact"][value="anonymous"]').check();
  } else {
    await form.locator('input[name="contact"][value="reply"]').check();
    await form.locator('#f-contact-email').fill(contact.email);
  }
  await form.locator('#f-consent').check();
  await form.locator('button[type="submit"]').click();
  await form.locator('.summary-list').waitFor();
  const summary = await form.locator('.summary-list').innerText();
  await form.locator('button[type="submit"]').click();
  await form.locator('.reference-number').waitFor({ timeout: 20000 });
  return { reference: (await form.locator('.reference-number').innerText()).trim(), summary };
}
