import { css } from '@lit/reactive-element/css-tag.js';

export const styles = css`
  :host {
    display: block;
    min-block-size: 0;
    /* Contains the visually hidden and file inputs, so they scroll with the view, not the panel. */
    position: relative;
    --_bg: var(--intake-status-background, var(--intake-color-surface));
    --_border: var(--intake-status-border-color, var(--intake-color-border));
    --_radius: var(--intake-status-radius, var(--intake-radius-md));
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
  .status > .notice {
    margin: 0;
    border-radius: 0;
  }
  .body {
    padding: var(--intake-space-lg);
  }
  .requests {
    list-style: none;
    margin: 0 0 var(--intake-space-xl);
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: var(--intake-space-sm);
  }
  .request {
    display: flex;
    flex-direction: column;
    align-items: stretch;
    gap: var(--intake-space-xs);
    inline-size: 100%;
    min-block-size: var(--_target);
    padding: var(--intake-space-md);
    text-align: start;
    border: 1px solid var(--intake-color-border);
    border-radius: var(--intake-radius-md);
    background: var(--intake-color-surface);
  }
  button.request:hover {
    background: var(--intake-color-surface-alt);
  }
  /* Received without a number yet, or without any: shown, with nothing to open. */
  .request.waiting {
    border-style: dashed;
    border-inline-start: 4px solid var(--intake-color-warning);
  }
  .request.no-number {
    border-style: dashed;
  }
  .request-top {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: var(--intake-space-sm);
  }
  .ref {
    overflow-wrap: anywhere;
  }
  .request-meta {
    color: var(--intake-color-muted);
    font-size: var(--intake-font-size-small);
  }
  .badge {
    display: inline-block;
    padding: 0.1em 0.6em;
    border-radius: var(--intake-radius-full);
    border: 1px solid currentColor;
    font-size: var(--intake-font-size-small);
    font-weight: var(--intake-font-weight-strong);
    color: var(--intake-color-primary);
  }
  .badge.status-replied,
  .badge.status-resolved {
    color: var(--intake-color-success);
  }
  .badge.status-closed {
    color: var(--intake-color-muted);
  }
  .badge.status-waiting {
    color: var(--intake-color-warning);
  }
  .notice-badge {
    align-self: flex-start;
    padding: 0.1em 0.6em;
    border-radius: var(--intake-radius-sm);
    background: var(--intake-color-warning-surface);
    color: var(--intake-color-warning);
    font-weight: 700;
    font-size: var(--intake-font-size-small);
  }
  .lookup {
    padding-block-start: var(--intake-space-lg);
    border-block-start: 1px solid var(--intake-color-border);
  }
  .back {
    margin-block-end: var(--intake-space-sm);
  }
  .facts {
    margin: 0 0 var(--intake-space-lg);
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: var(--intake-space-xs) var(--intake-space-md);
  }
  .facts div {
    display: contents;
  }
  .facts dt {
    font-weight: 700;
  }
  .facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  /* A time limit that has passed. */
  .facts .late {
    color: var(--intake-color-warning);
    font-weight: 700;
  }
  .detail > .overdue {
    margin: 0 0 var(--intake-space-lg);
  }
  .description {
    margin-block-end: var(--intake-space-lg);
  }
  /* A flex summary loses its disclosure marker, so it draws its own chevron: pointing to the
     inline end when closed (mirrored in right-to-left scripts), down when open. */
  .description summary {
    --_flip: 1;
    min-block-size: var(--_target);
    display: flex;
    align-items: center;
    gap: var(--intake-space-sm);
    list-style: none;
    cursor: pointer;
    color: var(--intake-color-primary);
    font-weight: var(--intake-font-weight-strong);
  }
  .description summary::-webkit-details-marker {
    display: none;
  }
  .description summary::before {
    content: '';
    flex: none;
    inline-size: 0.5em;
    block-size: 0.5em;
    margin-inline: 0.2em 0.1em;
    border-block-end: 0.15em solid currentColor;
    border-inline-end: 0.15em solid currentColor;
    transform: rotate(calc(var(--_flip) * -45deg));
    transition: transform 0.15s ease-out;
  }
  .description[open] summary::before {
    transform: rotate(calc(var(--_flip) * 45deg));
  }
  [dir='rtl'] .description summary {
    --_flip: -1;
  }
  .description summary:hover {
    text-decoration: underline;
  }
  .timeline {
    list-style: none;
    margin: 0 0 var(--intake-space-lg);
    padding: 0;
  }
  .timeline li {
    position: relative;
    display: flex;
    flex-direction: column;
    padding-inline-start: var(--intake-space-xl);
    padding-block-end: var(--intake-space-md);
    border-inline-start: 3px solid var(--intake-color-border);
    margin-inline-start: 0.5em;
  }
  .timeline li:last-child {
    border-inline-start-color: transparent;
  }
  .timeline li::before {
    content: '';
    position: absolute;
    inset-inline-start: -0.6em;
    inset-block-start: 0.2em;
    inline-size: 0.9em;
    block-size: 0.9em;
    border-radius: 50%;
    background: var(--intake-color-primary);
    border: 2px solid var(--intake-color-surface);
  }
  .timeline .when {
    font-size: var(--intake-font-size-small);
    color: var(--intake-color-muted);
  }
  .timeline .what {
    font-weight: 700;
  }
  .timeline li.rating::before {
    background: var(--intake-color-surface);
    border-color: var(--intake-color-primary);
  }
  .timeline .note {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .reply {
    margin: 0 0 var(--intake-space-md);
    padding: var(--intake-space-md);
    border-radius: var(--intake-radius-md);
    background: var(--intake-color-surface-alt);
  }
  .reply-meta {
    font-size: var(--intake-font-size-small);
  }
  .reply-text,
  .description-text {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .rate,
  .reopen {
    margin-block-start: var(--intake-space-lg);
    padding-block-start: var(--intake-space-lg);
    border-block-start: 1px solid var(--intake-color-border);
  }
  .thanks {
    padding: var(--intake-space-sm) var(--intake-space-md);
    border-inline-start: 4px solid var(--intake-color-success);
    background: var(--intake-color-surface-alt);
    font-weight: var(--intake-font-weight-strong);
  }
  .given {
    font-weight: var(--intake-font-weight-strong);
  }
  .no-feedback {
    margin-block-start: var(--intake-space-lg);
  }
  @media (forced-colors: active) {
    .request {
      border-color: ButtonText;
    }
    .timeline li::before {
      background: CanvasText;
    }
  }
`;
