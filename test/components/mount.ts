import { fixtureCleanup } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';

const mounted: HTMLElement[] = [];

/**
 * Renders a template into a fresh <div> on the page without waiting for an animation frame
 * (fixture() does for plain elements, and a background tab never gets one when test files run
 * side by side). Removed with the other fixtures after each test.
 */
export async function mountTemplate(template: TemplateResult): Promise<HTMLElement> {
  const wrapper = document.createElement('div');
  render(template, wrapper);
  document.body.append(wrapper);
  mounted.push(wrapper);
  await Promise.all(
    Array.from(wrapper.querySelectorAll('*'))
      .map((el) => (el as Element & { updateComplete?: Promise<unknown> }).updateComplete)
      .filter(Boolean),
  );
  return wrapper;
}

afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
  fixtureCleanup();
});
