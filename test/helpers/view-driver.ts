// Reading and driving the views in component tests: shadow-root queries, the focused element
// through shadow roots, and the request form's steps (fill, pick, next, wait for a step).
import { waitUntil } from '@open-wc/testing';
import type { IntakeForm } from '../../src/components/form/form.component.js';

export const WAIT = { timeout: 8000 };

export function $<T extends HTMLElement = HTMLElement>(el: HTMLElement, selector: string): T | null {
  return el.shadowRoot!.querySelector<T>(selector);
}
export function $$(el: HTMLElement, selector: string): HTMLElement[] {
  return Array.from(el.shadowRoot!.querySelectorAll<HTMLElement>(selector));
}
export function textOf(el: HTMLElement, selector: string): string {
  return ($(el, selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
/** The focused element, followed into shadow roots. */
export function deepActive(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/** The form's current step (`data-step` on its `<form>`). */
export function step(el: IntakeForm): string | undefined {
  return $(el, 'form')?.dataset['step'];
}
export async function toStep(el: IntakeForm, name: string): Promise<void> {
  await waitUntil(() => step(el) === name, `step ${name} (at ${step(el)})`, WAIT);
}
/** Types a value into a field, as the resident would (an `input` event). */
export async function fill(el: IntakeForm, selector: string, value: string): Promise<void> {
  const input = $<HTMLInputElement>(el, selector);
  if (!input) throw new Error(`no ${selector}`);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await el.updateComplete;
}
/** Clicks a radio, checkbox or button. */
export async function pick(el: IntakeForm, selector: string): Promise<void> {
  const input = $<HTMLInputElement>(el, selector);
  if (!input) throw new Error(`no ${selector}`);
  input.click();
  await el.updateComplete;
}
/** The step's Continue (its submit button). */
export async function next(el: IntakeForm): Promise<void> {
  $<HTMLButtonElement>(el, 'form button[type="submit"]')!.click();
  await el.updateComplete;
}
