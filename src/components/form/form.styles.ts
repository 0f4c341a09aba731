import { css } from '@lit/reactive-element/css-tag.js';

export const styles = css`
  :host {
    display: block;
    min-block-size: 0;
    /* Contains the visually hidden and file inputs, so they scroll with the view, not the panel. */
    position: relative;
    --_bg: var(--intake-form-background, var(--intake-color-surface));
    --_border: var(--intake-form-border-color, var(--intake-color-border));
    --_radius: var(--intake-form-radius, var(--intake-radius-md));
  }
  :host([nested]) {
    flex: 1;
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  :host(:not([nested])) {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
  }
  .title {
    margin: 0;
    padding: var(--intake-space-md) var(--intake-space-lg);
    font-size: var(--intake-font-size-title);
    border-block-end: 1px solid var(--_border);
  }
  .body {
    padding: var(--intake-space-lg);
  }
  .form > .notice {
    margin: 0;
    border-radius: 0;
  }
  .progress {
    color: var(--intake-color-muted);
    font-size: var(--intake-font-size-small);
    margin-block-end: var(--intake-space-xs);
  }
  .back {
    margin-block-end: var(--intake-space-sm);
  }
  .small {
    font-size: var(--intake-font-size-small);
  }
  .restored {
    margin-block-end: var(--intake-space-md);
  }
  .service-group + .service-group {
    margin-block-start: var(--intake-space-md);
  }
  .group-title {
    margin: 0 0 var(--intake-space-xs);
    font-weight: 700;
    color: var(--intake-color-muted);
    font-size: var(--intake-font-size-small);
    text-transform: uppercase;
    letter-spacing: 0.02em;
  }
  .label.sub {
    font-weight: 400;
  }
  .location-actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--intake-space-sm);
    margin-block-start: var(--intake-space-sm);
  }
  .location-status:empty {
    display: none;
  }
  .files {
    list-style: none;
    margin: 0 0 var(--intake-space-sm);
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: var(--intake-space-xs);
  }
  .file {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--intake-space-xs) var(--intake-space-sm);
    padding: var(--intake-space-sm);
    border: 1px solid var(--intake-color-border);
    border-radius: var(--intake-radius-sm);
  }
  .file-name {
    flex: 1 1 10em;
    min-inline-size: 0;
    overflow-wrap: anywhere;
    font-weight: var(--intake-font-weight-strong);
  }
  .file-size,
  .file-state {
    font-size: var(--intake-font-size-small);
    color: var(--intake-color-muted);
  }
  .file.failed .file-state {
    color: var(--intake-color-danger);
    font-weight: 700;
  }
  .file progress {
    flex: 1 1 100%;
    inline-size: 100%;
    block-size: 0.75em;
    accent-color: var(--intake-color-primary);
  }
  .file-input {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    opacity: 0;
    overflow: hidden;
  }
  .file-input:focus-visible + *,
  .file-pick:has(+ .file-input:focus-visible) {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  .file-pick.disabled {
    opacity: 0.55;
    cursor: default;
  }
  .file-pick {
    cursor: pointer;
  }
  .answers {
    margin: calc(-1 * var(--intake-space-md)) 0 var(--intake-space-xl);
    padding: var(--intake-space-sm) var(--intake-space-md);
    border-inline-start: 4px solid var(--intake-color-primary);
    background: var(--intake-color-surface-alt);
    border-radius: var(--intake-radius-sm);
  }
  .answers summary {
    cursor: pointer;
    min-block-size: var(--_target);
    display: flex;
    align-items: center;
    font-weight: var(--intake-font-weight-strong);
    color: var(--intake-color-primary);
  }
  .similar {
    list-style: none;
    padding: 0;
  }
  .similar li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--intake-space-sm);
    margin-block-end: var(--intake-space-sm);
  }
  .answers details p {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .consent {
    padding: var(--intake-space-md);
    background: var(--intake-color-surface-alt);
    border-radius: var(--intake-radius-sm);
  }
  .consent-text {
    white-space: pre-wrap;
    font-size: var(--intake-font-size-small);
  }
  .summary-list {
    margin: 0 0 var(--intake-space-lg);
  }
  .summary-list .row {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: var(--intake-space-xs) var(--intake-space-sm);
    padding-block: var(--intake-space-sm);
    border-block-end: 1px solid var(--intake-color-border);
  }
  .summary-list dt {
    grid-column: 1;
    font-weight: 700;
  }
  .summary-list .value {
    grid-column: 1;
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .summary-list .change {
    grid-column: 2;
    grid-row: 1 / span 2;
    margin: 0;
    align-self: start;
  }
  .summary-list.plain .row {
    grid-template-columns: 1fr;
  }
  .confirmation .step-title {
    color: var(--intake-color-success);
  }
  .reference {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--intake-space-sm);
  }
  .reference-number {
    font-size: var(--intake-font-size-display);
    letter-spacing: 0.03em;
    padding: var(--intake-space-xs) var(--intake-space-sm);
    border: 2px solid var(--intake-color-success);
    border-radius: var(--intake-radius-sm);
    user-select: all;
  }
  .copied:empty {
    display: none;
  }
`;
