import type { CSSResult } from '@lit/reactive-element/css-tag.js';

/**
 * The launcher's own `css` tag: what Lit's css-tag does for the launcher's rules, in a few bytes
 * (Lit's, which the views use, loads with them on intent). A rule set from here is what Lit's
 * `css` returns as far as Lit can tell: it can be interpolated into another `css` (either tag),
 * listed in a LitElement's `static styles` and adopted with Lit's `adoptStyles`. Its
 * constructable stylesheet is made the first time it is asked for (never on a server).
 * Interpolated values must be rule sets (`css`), never strings.
 */
export function css(strings: TemplateStringsArray, ...values: CSSResult[]): CSSResult {
  const cssText = strings.reduce((text, piece, i) => text + values[i - 1]!.cssText + piece);
  let sheet: CSSStyleSheet | undefined;
  return {
    _$cssResult$: true,
    cssText,
    get styleSheet() {
      if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(cssText);
      return sheet;
    },
    toString: () => cssText,
  } as unknown as CSSResult;
}

/** Gives a shadow root these rule sets (the current engines all adopt constructable stylesheets). */
export function adopt(root: ShadowRoot, styles: readonly CSSResult[]): void {
  root.adoptedStyleSheets = styles.map((style) => style.styleSheet!);
}
