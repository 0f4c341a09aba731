import { css } from '../styles/css.js';

/**
 * Light theme: colour and shadow tokens only (`--intake-<category>-<role>`). Designers override any
 * of them on the element (`intake-widget { --intake-color-primary: #0a6e4f }`); the page wins.
 * Every pair a component draws together meets WCAG 2.2 AA (test/node/tokens.test.ts).
 */
export const lightTheme = css`
  --intake-color-primary: #1a56b8;
  --intake-color-primary-hover: #144593;
  --intake-color-on-primary: #ffffff;
  --intake-color-surface: #ffffff;
  --intake-color-surface-alt: #eef1f5;
  --intake-color-text: #1b1f24;
  --intake-color-muted: #515a67;
  --intake-color-border: #77818f;
  --intake-color-border-strong: #4a525e;
  --intake-color-success: #1b6e36;
  --intake-color-warning: #7a4f00;
  --intake-color-warning-surface: #fff3d1;
  --intake-color-danger: #b3261e;
  --intake-color-danger-surface: #fde7e4;
  --intake-color-focus: #0b57d0;
  --intake-shadow-panel: 0 12px 32px rgb(0 0 0 / 0.18), 0 2px 6px rgb(0 0 0 / 0.12);
  --intake-shadow-launcher: 0 4px 14px rgb(0 0 0 / 0.25);
  color-scheme: light;
`;
