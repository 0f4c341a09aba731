import { css } from '../styles/css.js';

/** Dark theme: the same token names as light.ts with dark values (WCAG AA on its surfaces). */
export const darkTheme = css`
  --intake-color-primary: #8ab4ff;
  --intake-color-primary-hover: #a9c7ff;
  --intake-color-on-primary: #0b1a33;
  --intake-color-surface: #1c2027;
  --intake-color-surface-alt: #2a303a;
  --intake-color-text: #eef1f5;
  --intake-color-muted: #b2bbc8;
  --intake-color-border: #808a99;
  --intake-color-border-strong: #b2bbc8;
  --intake-color-success: #86dca0;
  --intake-color-warning: #ffd580;
  --intake-color-warning-surface: #3b3014;
  --intake-color-danger: #ffb4ab;
  --intake-color-danger-surface: #4a1f1b;
  --intake-color-focus: #a9c7ff;
  --intake-shadow-panel: 0 12px 32px rgb(0 0 0 / 0.5), 0 2px 6px rgb(0 0 0 / 0.4);
  --intake-shadow-launcher: 0 4px 14px rgb(0 0 0 / 0.5);
  color-scheme: dark;
`;
