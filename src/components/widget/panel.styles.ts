import { css } from 'lit';

/** The panel's rules: adopted by `<intake-widget>` only when the panel loads (after intent). */
export const panelStyles = css`
  .panel {
    --_width: var(--intake-panel-width, 380px);
    --_height: var(--intake-panel-height, 620px);
    position: fixed;
    z-index: var(--intake-z-index-panel, 2147483001);
    display: flex;
    flex-direction: column;
    background: var(--intake-color-surface);
    color: var(--intake-color-text);
    overflow: hidden;
  }
  .panel.floating {
    /* floating-ui writes physical left/top; this is only the starting point before it does */
    left: 0;
    top: 0;
    inline-size: min(var(--_width), var(--intake-available-width, calc(100vw - 16px)));
    block-size: min(var(--_height), var(--intake-available-height, calc(100vh - 110px)));
    border: 1px solid var(--intake-color-border);
    border-radius: var(--intake-radius-lg);
    box-shadow: var(--intake-shadow-panel);
    animation: intake-rise var(--intake-motion-duration, 160ms) ease-out;
  }
  .panel.sheet {
    inset-inline: 0;
    inset-block-start: var(--intake-viewport-top, 0px);
    inline-size: 100%;
    block-size: var(--intake-viewport-height, 100dvh);
    padding-block: env(safe-area-inset-top, 0px) env(safe-area-inset-bottom, 0px);
    padding-inline: env(safe-area-inset-left, 0px) env(safe-area-inset-right, 0px);
  }
  @keyframes intake-rise {
    from {
      opacity: 0;
      translate: 0 8px;
    }
  }
  .header {
    display: flex;
    align-items: center;
    gap: var(--intake-space-sm);
    padding: var(--intake-space-sm) var(--intake-space-sm) var(--intake-space-sm) var(--intake-space-lg);
    padding-inline: var(--intake-space-lg) var(--intake-space-sm);
    background: var(--intake-panel-header-background, var(--intake-color-primary));
    color: var(--intake-panel-header-color, var(--intake-color-on-primary));
  }
  .titles {
    flex: 1;
    min-inline-size: 0;
  }
  .titles h2 {
    margin: 0;
    font-size: 1.1em;
    line-height: 1.3;
  }
  .titles p {
    margin: 0;
    font-size: var(--intake-font-size-small);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .close {
    flex: none;
    display: inline-grid;
    place-items: center;
    inline-size: var(--intake-target-size, 44px);
    block-size: var(--intake-target-size, 44px);
    border: 0;
    border-radius: var(--intake-radius-full);
    background: transparent;
    color: inherit;
  }
  .close:hover {
    background: rgb(255 255 255 / 0.15);
  }
  .close svg {
    inline-size: 1.25em;
    block-size: 1.25em;
  }
  .header :focus-visible {
    outline-color: currentColor;
  }
  .tabs {
    display: flex;
    border-block-end: 1px solid var(--intake-color-border);
    background: var(--intake-color-surface);
  }
  .tab {
    flex: 1;
    min-block-size: var(--intake-target-size, 44px);
    padding: var(--intake-space-xs);
    white-space: nowrap;
    border: 0;
    border-block-end: 3px solid transparent;
    background: transparent;
    color: var(--intake-color-muted);
    font-weight: 600;
  }
  .tab[aria-selected='true'] {
    color: var(--intake-color-primary);
    border-block-end-color: var(--intake-color-primary);
  }
  .tab:focus-visible {
    outline-offset: -3px;
  }
  .notice {
    margin: 0;
    padding: var(--intake-space-sm) var(--intake-space-lg);
    background: var(--intake-color-warning-surface);
    color: var(--intake-color-warning);
    font-size: var(--intake-font-size-small);
  }
  .view {
    flex: 1;
    min-block-size: 0;
    display: flex;
    flex-direction: column;
  }
  .view > intake-chat,
  .view > intake-form,
  .view > intake-status {
    flex: 1;
    min-block-size: 0;
  }
  @media (forced-colors: active) {
    .panel {
      border: 2px solid CanvasText;
    }
    .tab[aria-selected='true'] {
      border-block-end-color: Highlight;
    }
  }
`;
