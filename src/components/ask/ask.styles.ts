import { css } from '@lit/reactive-element/css-tag.js';

export const styles = css`
  :host {
    display: inline-block;
    --_color: var(--intake-ask-color, var(--intake-color-primary));
    --_bg: var(--intake-ask-background, var(--intake-color-surface));
    --_radius: var(--intake-ask-radius, var(--intake-radius-full));
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: var(--intake-space-xs);
    min-block-size: 32px;
    padding-block: var(--intake-space-xs);
    padding-inline: var(--intake-space-sm) var(--intake-space-md);
    border: 1px solid var(--_color);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_color);
    font-size: var(--intake-font-size-small);
    font-weight: var(--intake-font-weight-strong);
  }
  button:hover {
    background: var(--intake-color-surface-alt);
  }
  svg {
    inline-size: 1.2em;
    block-size: 1.2em;
    flex: none;
  }
  .hint {
    position: fixed;
    left: 0;
    top: 0;
    z-index: var(--intake-z-index-panel, 2147483001);
    max-inline-size: 18em;
    padding: var(--intake-space-xs) var(--intake-space-sm);
    border-radius: var(--intake-radius-sm);
    background: var(--intake-color-text);
    color: var(--intake-color-surface);
    font-size: var(--intake-font-size-small);
    box-shadow: var(--intake-shadow-panel);
    pointer-events: none;
  }
  :host([large-text]) button {
    min-block-size: var(--intake-size-target, 44px);
    font-size: 1em;
  }
  @media (forced-colors: active) {
    button,
    .hint {
      border: 1px solid CanvasText;
    }
  }
`;
