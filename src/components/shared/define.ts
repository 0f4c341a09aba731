/**
 * The base of the plain elements: `HTMLElement` in a browser, an empty class elsewhere, so that
 * importing the package in Node (server-side rendering) defines the classes without throwing.
 */
export const ElementBase: typeof HTMLElement = globalThis.HTMLElement ?? (class {} as unknown as typeof HTMLElement);

/**
 * Registers a tag politely: a second copy of the library on the page (or a page that already
 * defined the tag) leaves the first definition in place instead of throwing.
 */
export function define(tag: string, element: CustomElementConstructor, registry: CustomElementRegistry = customElements): void {
  if (registry.get(tag)) return;
  try {
    registry.define(tag, element);
  } catch (error) {
    // Two copies racing can still collide between get() and define(); the first one stays.
    if (!registry.get(tag)) throw error;
  }
}
