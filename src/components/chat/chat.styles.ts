import { css } from '@lit/reactive-element/css-tag.js';

export const styles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-block-size: 0;
    --_resident-bg: var(--intake-chat-resident-background, var(--intake-color-primary));
    --_resident-fg: var(--intake-chat-resident-color, var(--intake-color-on-primary));
    --_staff-bg: var(--intake-chat-staff-background, var(--intake-color-surface-alt));
    --_staff-fg: var(--intake-chat-staff-color, var(--intake-color-text));
    --_max-input: var(--intake-chat-max-input-height, 8em);
    --_target: var(--intake-size-target, 44px);
    --_bg: var(--intake-chat-background, var(--intake-color-surface));
    --_border: var(--intake-chat-border-color, var(--intake-color-border));
    --_radius: var(--intake-chat-radius, var(--intake-radius-md));
    --_bubble-radius: var(--intake-chat-bubble-radius, var(--intake-radius-lg));
    --_send-bg: var(--intake-chat-send-background, var(--intake-color-primary));
    --_send-fg: var(--intake-chat-send-color, var(--intake-color-on-primary));
  }
  :host(:not([nested])) {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    block-size: var(--intake-chat-height, 32em);
    overflow: hidden;
  }
  .chat {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-block-size: 0;
    block-size: 100%;
  }
  .title {
    margin: 0;
    padding: var(--intake-space-md) var(--intake-space-lg);
    font-size: var(--intake-font-size-title);
    border-block-end: 1px solid var(--_border);
  }
  .banner {
    margin: 0;
    padding: var(--intake-space-sm) var(--intake-space-lg);
    background: var(--intake-color-warning-surface);
    color: var(--intake-color-warning);
    font-size: var(--intake-font-size-small);
  }
  .banner.problem {
    background: var(--intake-color-danger-surface);
    color: var(--intake-color-danger);
  }
  .log {
    flex: 1;
    min-block-size: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    /* Typing in the composer must not lay out the messages again. */
    contain: content;
    padding: var(--intake-space-lg);
    display: flex;
    flex-direction: column;
    gap: var(--intake-space-md);
  }
  .log:focus-visible {
    outline-offset: -3px;
  }
  .greeting {
    padding: var(--intake-space-md);
    border-radius: var(--intake-radius-md);
    background: var(--_staff-bg);
    color: var(--_staff-fg);
  }
  .greeting p {
    margin: 0;
  }
  .greeting p + p {
    margin-block-start: var(--intake-space-sm);
  }
  .promise,
  .no-staff {
    font-size: var(--intake-font-size-small);
  }
  .no-staff {
    font-weight: var(--intake-font-weight-strong);
  }
  .message {
    display: flex;
    flex-direction: column;
    max-inline-size: 85%;
    align-self: flex-start;
  }
  .message.resident {
    align-self: flex-end;
    align-items: flex-end;
  }
  .message.system {
    align-self: center;
    max-inline-size: 95%;
    align-items: center;
  }
  .sender {
    font-size: var(--intake-font-size-small);
    font-weight: var(--intake-font-weight-strong);
    margin-block-end: var(--intake-space-xs);
    color: var(--intake-color-muted);
  }
  .bubble {
    padding: var(--intake-space-sm) var(--intake-space-md);
    border-radius: var(--_bubble-radius);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    background: var(--_staff-bg);
    color: var(--_staff-fg);
  }
  .resident .bubble {
    background: var(--_resident-bg);
    color: var(--_resident-fg);
    border-end-end-radius: var(--intake-radius-sm);
  }
  .staff .bubble {
    border-end-start-radius: var(--intake-radius-sm);
  }
  .system .bubble {
    background: transparent;
    border: 1px dashed var(--intake-color-border);
    font-size: var(--intake-font-size-small);
    text-align: center;
  }
  .bubble a {
    color: inherit;
    text-decoration: underline;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--intake-space-sm);
    font-size: var(--intake-font-size-small);
    color: var(--intake-color-muted);
    margin-block-start: var(--intake-space-xs);
  }
  .delivery.retrying,
  .delivery.failed {
    color: var(--intake-color-danger);
    font-weight: var(--intake-font-weight-strong);
  }
  .retry,
  .edit,
  .follow {
    min-block-size: 24px;
    padding: 0 var(--intake-space-sm);
    border: 1px solid currentColor;
    border-radius: var(--intake-radius-sm);
    background: transparent;
    color: var(--intake-color-primary);
  }
  .typing {
    min-block-size: 1.5em;
    padding-inline: var(--intake-space-lg);
    font-size: var(--intake-font-size-small);
    color: var(--intake-color-muted);
  }
  .answers {
    margin: 0 var(--intake-space-lg) var(--intake-space-sm);
    padding: var(--intake-space-sm) var(--intake-space-md);
    border: 1px solid var(--intake-color-border);
    border-radius: var(--intake-radius-md);
    max-block-size: 12em;
    overflow-y: auto;
  }
  .answers h3 {
    margin: 0 0 var(--intake-space-xs);
    font-size: 1em;
  }
  .answers summary {
    cursor: pointer;
    min-block-size: 24px;
  }
  .answers p {
    margin: var(--intake-space-xs) 0;
  }
  .answers a {
    color: var(--intake-color-primary);
  }
  .still {
    font-size: var(--intake-font-size-small);
    color: var(--intake-color-muted);
  }
  .topic {
    margin: 0 var(--intake-space-lg) var(--intake-space-xs);
    font-size: var(--intake-font-size-small);
    color: var(--intake-color-muted);
  }
  .composer {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: var(--intake-space-xs) var(--intake-space-sm);
    padding: var(--intake-space-sm) var(--intake-space-lg) var(--intake-space-md);
    border-block-start: 1px solid var(--_border);
    background: var(--_bg);
  }
  textarea {
    font: inherit;
    color: var(--intake-color-text);
    background: var(--_bg);
    border: 1px solid var(--intake-field-border-color, var(--intake-color-border));
    border-radius: var(--_radius);
    padding: var(--intake-space-sm) var(--intake-space-md);
    min-block-size: var(--_target);
    max-block-size: var(--_max-input);
    resize: none;
    field-sizing: content;
    inline-size: 100%;
  }
  textarea::placeholder {
    color: var(--intake-color-muted);
    opacity: 1;
  }
  .send {
    min-block-size: var(--_target);
    min-inline-size: var(--_target);
    padding: 0 var(--intake-space-lg);
    border: 0;
    border-radius: var(--_radius);
    background: var(--_send-bg);
    color: var(--_send-fg);
    font-weight: var(--intake-font-weight-strong);
    align-self: end;
  }
  .send:hover:not(:disabled) {
    background: var(--intake-color-primary-hover);
  }
  .send:disabled {
    opacity: 0.55;
    cursor: default;
  }
  .composer-meta {
    grid-column: 1 / -1;
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: var(--intake-space-sm);
    font-size: var(--intake-font-size-small);
    color: var(--intake-color-muted);
  }
  .closed-hint {
    flex-basis: 100%;
    color: var(--intake-color-text);
    font-weight: var(--intake-font-weight-strong);
  }
  .counter {
    white-space: nowrap;
  }
  .counter.over {
    white-space: normal;
  }
  .counter.near,
  .counter.over {
    color: var(--intake-color-danger);
    font-weight: var(--intake-font-weight-strong);
  }
  .earlier {
    align-self: center;
    min-block-size: 32px;
    margin-block-end: var(--intake-space-sm);
    padding: 0 var(--intake-space-md);
    border: 1px solid currentColor;
    border-radius: var(--intake-radius-full);
    background: transparent;
    color: var(--intake-color-primary);
  }
  .unavailable,
  .loading-history {
    margin: var(--intake-space-lg);
    color: var(--intake-color-muted);
  }
  @media (forced-colors: active) {
    .bubble,
    .greeting,
    .send,
    textarea {
      border: 1px solid CanvasText;
    }
    .send {
      background: ButtonFace;
      color: ButtonText;
    }
  }
`;
