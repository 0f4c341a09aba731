import { css } from '@lit/reactive-element/css-tag.js';

/**
 * Form controls shared by `<intake-form>` and `<intake-status>`: fields, choices, buttons, the
 * error summary, GOV.UK-style inline errors. Logical properties only (right-to-left scripts).
 */
export const controls = css`
  :host {
    --_target: var(--intake-size-target, 44px);
    --_field-border: var(--intake-field-border-color, var(--intake-color-border));
    --_field-bg: var(--intake-field-background, var(--intake-color-surface));
    --_field-radius: var(--intake-field-radius, var(--intake-radius-sm));
    --_button-bg: var(--intake-button-background, var(--intake-color-primary));
    --_button-bg-hover: var(--intake-button-background-hover, var(--intake-color-primary-hover));
    --_button-fg: var(--intake-button-color, var(--intake-color-on-primary));
    --_button-radius: var(--intake-button-radius, var(--intake-radius-md));
    --_danger: var(--intake-color-danger);
  }
  h3,
  h4 {
    margin: 0 0 var(--intake-space-sm);
    line-height: 1.3;
  }
  h3 {
    font-size: var(--intake-font-size-heading);
  }
  h4 {
    font-size: 1em;
  }
  h3:focus,
  h4:focus {
    outline: none;
  }
  h3:focus-visible {
    outline: var(--_focus-ring);
  }
  p {
    margin: 0 0 var(--intake-space-sm);
  }
  .field {
    margin: 0 0 var(--intake-space-xl);
    padding: 0;
    border: 0;
    min-inline-size: 0;
  }
  .field.invalid {
    border-inline-start: 4px solid var(--_danger);
    padding-inline-start: var(--intake-space-md);
  }
  .label,
  legend {
    display: block;
    font-weight: var(--intake-font-weight-strong);
    margin-block-end: var(--intake-space-xs);
    padding: 0;
  }
  .required {
    color: var(--_danger);
    margin-inline-start: 0.2em;
  }
  .optional {
    font-weight: 400;
    color: var(--intake-color-muted);
  }
  .hint {
    display: block;
    color: var(--intake-color-muted);
    font-size: var(--intake-font-size-small);
    margin-block-end: var(--intake-space-xs);
  }
  .error-message {
    display: block;
    color: var(--_danger);
    font-weight: 700;
    margin: 0 0 var(--intake-space-xs);
  }
  input:not([type='radio']):not([type='checkbox']):not([type='file']),
  select,
  textarea {
    display: block;
    inline-size: 100%;
    min-block-size: var(--_target);
    padding: var(--intake-space-sm) var(--intake-space-md);
    font: inherit;
    color: var(--intake-color-text);
    background: var(--_field-bg);
    border: 2px solid var(--_field-border);
    border-radius: var(--_field-radius);
  }
  textarea {
    resize: vertical;
    min-block-size: 6em;
  }
  [aria-invalid='true'] {
    border-color: var(--_danger) !important;
  }
  .counter {
    display: block;
    margin-block-start: var(--intake-space-xs);
    font-size: var(--intake-font-size-small);
    color: var(--intake-color-muted);
  }
  .counter.over {
    color: var(--_danger);
    font-weight: 700;
  }
  .choices {
    display: flex;
    flex-direction: column;
    gap: var(--intake-space-xs);
  }
  .choices.inline {
    flex-direction: row;
    flex-wrap: wrap;
  }
  .choice {
    display: flex;
    align-items: flex-start;
    gap: var(--intake-space-sm);
    min-block-size: var(--_target);
    padding: var(--intake-space-xs) var(--intake-space-sm);
    border-radius: var(--intake-radius-sm);
    cursor: pointer;
  }
  .choice:hover {
    background: var(--intake-color-surface-alt);
  }
  .choice input {
    flex: none;
    inline-size: 1.4em;
    block-size: 1.4em;
    margin: 0.15em 0 0;
    accent-color: var(--intake-color-primary);
  }
  .choice .text {
    display: flex;
    flex-direction: column;
  }
  .choice .desc {
    color: var(--intake-color-muted);
    font-size: var(--intake-font-size-small);
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--intake-space-xs);
    min-block-size: var(--_target);
    min-inline-size: var(--_target);
    padding: var(--intake-space-xs) var(--intake-space-lg);
    border: 2px solid var(--_button-bg);
    border-radius: var(--_button-radius);
    background: var(--_button-bg);
    color: var(--_button-fg);
    font-weight: var(--intake-font-weight-strong);
    text-align: center;
  }
  .button:hover:not(:disabled) {
    background: var(--_button-bg-hover);
    border-color: var(--_button-bg-hover);
  }
  .button.secondary {
    border-color: var(--intake-color-primary);
    background: transparent;
    color: var(--intake-color-primary);
  }
  .button.secondary:hover:not(:disabled) {
    background: var(--intake-color-surface-alt);
    color: var(--intake-color-primary);
  }
  .button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  .link {
    display: inline;
    min-block-size: 24px;
    padding: 0;
    border: 0;
    background: none;
    color: var(--intake-color-primary);
    text-decoration: underline;
    font: inherit;
    cursor: pointer;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--intake-space-sm);
    align-items: center;
    margin-block: var(--intake-space-lg);
  }
  .error-summary {
    margin: 0 0 var(--intake-space-xl);
    padding: var(--intake-space-md) var(--intake-space-lg);
    border: 4px solid var(--_danger);
    border-radius: var(--intake-radius-sm);
    background: var(--intake-color-surface);
  }
  .error-summary:focus {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  .error-summary h3 {
    font-size: var(--intake-font-size-title);
  }
  .error-summary ul {
    margin: 0;
    padding-inline-start: 0;
    list-style: none;
  }
  .error-summary li + li {
    margin-block-start: var(--intake-space-xs);
  }
  .error-summary a {
    color: var(--_danger);
    font-weight: 700;
  }
  .notice {
    padding: var(--intake-space-sm) var(--intake-space-md);
    border-radius: var(--intake-radius-sm);
    background: var(--intake-color-warning-surface);
    color: var(--intake-color-warning);
  }
  .notice.problem {
    background: var(--intake-color-danger-surface);
    color: var(--_danger);
  }
  .muted {
    color: var(--intake-color-muted);
  }
  :host([large-text]) .link,
  :host([large-text]) .error-summary a {
    display: inline-flex;
    align-items: center;
    min-block-size: var(--_target);
  }
  @media (forced-colors: active) {
    .button,
    .button.secondary {
      border-color: ButtonText;
    }
    .button:disabled {
      border-color: GrayText;
      color: GrayText;
    }
    .error-summary,
    .field.invalid {
      border-color: CanvasText;
    }
  }
`;
