import { css } from './css.js';

/** Base rules every element adopts: box model, hidden text for screen readers, focus ring, motion. */
export const shared = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  .visually-hidden {
    position: absolute !important;
    inline-size: 1px;
    block-size: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
  :host {
    --_focus-ring: var(--intake-size-focus-ring, 3px) solid var(--intake-color-focus);
  }
  :focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  /* Large text: every button and disclosure is a 44px+ target (WCAG 2.5.5 AAA size). */
  :host([large-text]) button,
  :host([large-text]) summary {
    min-block-size: var(--intake-size-target, 44px);
    min-inline-size: var(--intake-size-target, 44px);
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
    }
  }
  @media (forced-colors: active) {
    :focus-visible {
      outline: var(--intake-size-focus-ring, 3px) solid Highlight;
    }
    button,
    input,
    select,
    textarea {
      border-color: ButtonText;
    }
  }
`;
