import { css } from 'lit';
import { darkTheme } from '../themes/dark.js';
import { lightTheme } from '../themes/light.js';

/**
 * Token defaults for an outermost element. A view nested in `<intake-widget>` carries the
 * `nested` attribute and inherits the widget's tokens instead of resetting them.
 * Sizes come from --intake-font-size-base in px/em, never rem: the host's root size must not matter.
 */
export const tokens = css`
  :host(:not([nested])) {
    ${lightTheme}
    --intake-font-family: system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB',
      'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans', 'UKIJ Tuz', sans-serif;
    --intake-font-size-base: 16px;
    --intake-font-size-large: 20px;
    --intake-font-size-small: 0.875em;
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
    --intake-z-index-launcher: 2147483000;
    --intake-z-index-panel: 2147483001;
    --intake-launcher-size: 56px;
    --intake-launcher-offset: 20px;
    --intake-panel-width: 380px;
    --intake-panel-height: 620px;
    --intake-target-size: 44px;
    --intake-motion-duration: 160ms;

    font-family: var(--intake-font-family);
    font-size: var(--intake-font-size-base);
    line-height: var(--intake-line-height);
    color: var(--intake-color-text);
  }
  :host(:not([nested])[theme='dark']) {
    ${darkTheme}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([nested])[theme='auto']) {
      ${darkTheme}
    }
  }
  :host(:not([nested])[large-text]) {
    font-size: var(--intake-font-size-large);
    --intake-target-size: 48px;
    --intake-color-muted: var(--intake-color-text);
  }
  @media (prefers-reduced-motion: reduce) {
    :host(:not([nested])) {
      --intake-motion-duration: 0ms;
    }
  }
`;
