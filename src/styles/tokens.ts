import { css } from './css.js';
import { darkTheme } from '../themes/dark.js';
import { lightTheme } from '../themes/light.js';

/**
 * Global token defaults (`--intake-<category>-<role>`) for an outermost element. A view nested in
 * `<intake-widget>` carries the `nested` attribute and inherits the widget's tokens instead of
 * resetting them. Sizes are px, or em from --intake-font-size-base, never rem: the host page's
 * root font size must not resize the widget. docs/theming.md lists every token.
 */
export const tokens = css`
  :host(:not([nested])) {
    ${lightTheme}
    --intake-font-family: system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB',
      'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans', 'UKIJ Tuz', sans-serif;
    --intake-font-size-base: 16px;
    --intake-font-size-large: 20px;
    --intake-font-size-small: 0.875em;
    --intake-font-size-title: 1.1em;
    --intake-font-size-heading: 1.2em;
    --intake-font-size-display: 1.5em;
    --intake-font-weight-strong: 600;
    --intake-line-height: 1.5;
    --intake-radius-sm: 6px;
    --intake-radius-md: 12px;
    --intake-radius-lg: 18px;
    --intake-radius-full: 999px;
    --intake-space-xs: 0.25em;
    --intake-space-sm: 0.5em;
    --intake-space-md: 0.75em;
    --intake-space-lg: 1em;
    --intake-space-xl: 1.5em;
    --intake-size-target: 44px;
    --intake-size-focus-ring: 3px;
    --intake-z-index-launcher: 2147483000;
    --intake-z-index-panel: 2147483001;
    --intake-motion-duration: 160ms;
    /* text-size="follow" on <intake-widget> writes the host's scale here (inline, so it wins) */
    --_text-scale: 1;

    font-family: var(--intake-font-family);
    font-size: var(--intake-font-size-base);
    line-height: var(--intake-line-height);
    color: var(--intake-color-text);
  }
  /* Theme rules weigh no more than the defaults (:where), so the large-text rule below, written
     later, wins over both. */
  :host(:not([nested]):where([theme='dark'])) {
    ${darkTheme}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([nested]):where([theme='auto'])) {
      ${darkTheme}
    }
  }
  /* Large text (older residents, MIIT age-friendly specs): 20px text, no text under 18px, 60px
     targets, muted text as strong as body text, stronger borders and a thicker focus ring.
     Nested views carry the attribute too. */
  :host([large-text]) {
    font-size: calc(var(--intake-font-size-large) * var(--_text-scale, 1));
    --intake-font-size-small: max(18px, 0.9em);
    --intake-size-target: 60px;
    --intake-size-focus-ring: 4px;
    --intake-color-muted: var(--intake-color-text);
    --intake-color-border: var(--intake-color-border-strong);
  }
  @media (prefers-reduced-motion: reduce) {
    :host(:not([nested])) {
      --intake-motion-duration: 0ms;
    }
  }
`;
