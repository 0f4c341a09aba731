import { css } from '@lit/reactive-element/css-tag.js';

/** The panel's rules: adopted by `<intake-widget>` only when the panel loads (after intent). */
export const panelStyles = css`
  .panel {
    --_width: var(--intake-panel-width, 380px);
    --_height: var(--intake-panel-height, 620px);
    --_panel-bg: var(--intake-panel-background, var(--intake-color-surface));
    --_panel-fg: var(--intake-panel-color, var(--intake-color-text));
    --_panel-border: var(--intake-panel-border-color, var(--intake-color-border));
    --_panel-radius: var(--intake-panel-radius, var(--intake-radius-lg));
    --_panel-shadow: var(--intake-panel-shadow, var(--intake-shadow-panel));
    --_header-bg: var(--intake-panel-header-background, var(--intake-color-primary));
    --_header-fg: var(--intake-panel-header-color, var(--intake-color-on-primary));
    --_target: var(--intake-size-target, 44px);
    position: fixed;
    z-index: var(--intake-z-index-panel, 2147483001);
    display: flex;
    flex-direction: column;
    background: var(--_panel-bg);
    color: var(--_panel-fg);
    overflow: hidden;
    /* undoes the popover's defaults (the panel sits in the top layer) */
    inset: auto;
    margin: 0;
    padding: 0;
    border: 0;
    max-inline-size: none;
    max-block-size: none;
  }
  /* Larger text needs a wider panel; a designer's own width still wins. */
  :host([large-text]) .panel {
    --_width: var(--intake-panel-width, 440px);
    --_height: var(--intake-panel-height, 680px);
  }
  .panel.floating {
    /* floating-ui writes physical left/top; this is only the starting point before it does */
    left: 0;
    top: 0;
    inline-size: min(var(--_width), var(--intake-available-width, calc(100vw - 16px)));
    block-size: min(var(--_height), var(--intake-available-height, calc(100vh - 110px)));
    border: 1px solid var(--_panel-border);
    border-radius: var(--_panel-radius);
    box-shadow: var(--_panel-shadow);
    animation: intake-rise var(--intake-motion-duration, 160ms) ease-out;
  }
  /* The visual viewport is the screen (a page wider than a phone, a page zoom): physical sides. */
  .panel.sheet {
    left: var(--intake-viewport-left, 0px);
    top: var(--intake-viewport-top, 0px);
    inline-size: var(--intake-viewport-width, 100%);
    block-size: var(--intake-viewport-height, 100dvh);
    padding-block: env(safe-area-inset-top, 0px) env(safe-area-inset-bottom, 0px);
    padding-inline: env(safe-area-inset-left, 0px) env(safe-area-inset-right, 0px);
  }
  /* Movement only, no fade: colours are final from the first frame (a background tab may never
     run the animation, and contrast checks must not see half-transparent text). */
  @keyframes intake-rise {
    from {
      translate: 0 12px;
    }
  }
  /* Title and close on the first line; the language picker and large text on their own line below
     (long names — 繁體中文（香港）, "Large text" — never squeeze the title). */
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--intake-space-xs) var(--intake-space-sm);
    padding-block: var(--intake-space-sm);
    padding-inline: var(--intake-space-lg) var(--intake-space-sm);
    background: var(--_header-bg);
    color: var(--_header-fg);
  }
  .tools {
    flex: 1 0 100%;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--intake-space-sm);
    padding-inline-end: var(--intake-space-sm);
  }
  .titles {
    flex: 1;
    min-inline-size: 0;
  }
  .titles h2 {
    margin: 0;
    font-size: var(--intake-font-size-title);
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
    inline-size: var(--_target);
    block-size: var(--_target);
    border: 0;
    border-radius: var(--intake-radius-full);
    background: transparent;
    color: inherit;
  }
  .close:hover,
  .large-text-toggle:hover,
  .language-select:hover {
    background: rgb(255 255 255 / 0.15);
  }
  .large-text-toggle {
    flex: none;
    min-block-size: var(--_target);
    padding-block: 0;
    padding-inline: var(--intake-space-sm);
    border: 2px solid currentColor;
    border-radius: var(--intake-radius-full);
    background: transparent;
    color: inherit;
    font-size: var(--intake-font-size-small);
    font-weight: var(--intake-font-weight-strong);
    white-space: nowrap;
  }
  /* Text in the primary colour, not the header's background: that may be a gradient (the street
     portal's), which is no colour, and the label then vanished white on white. */
  .large-text-toggle[aria-pressed='true'] {
    background: var(--_header-fg);
    color: var(--intake-color-primary);
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
  /* Tabs share the width by their labels, keep clear of the panel's edges, and wrap rather than clip
     (a long label in a narrow sheet, large text, a long translation). */
  .tab {
    flex: 1 1 auto;
    min-inline-size: 0;
    min-block-size: var(--_target);
    padding-block: var(--intake-space-xs);
    padding-inline: var(--intake-space-sm);
    white-space: normal;
    overflow-wrap: anywhere;
    line-height: 1.3;
    border: 0;
    border-block-end: 3px solid transparent;
    background: transparent;
    color: var(--intake-color-muted);
    font-weight: var(--intake-font-weight-strong);
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
  /* The form or My requests while its code loads, or when it could not be loaded (the element
     itself, not yet upgraded, takes no room). */
  .view > :not(:defined) {
    display: none;
  }
  /* The form or My requests while its code loads, or when it could not be loaded. */
  .view-state {
    margin: 0;
    padding: var(--intake-space-lg);
    color: var(--intake-color-muted);
  }
  .view-state p {
    margin-block: 0 var(--intake-space-sm);
    color: var(--intake-color-text);
  }
  .retry {
    min-block-size: var(--_target);
    padding-inline: var(--intake-space-lg);
    border: 0;
    border-radius: var(--intake-radius-full);
    background: var(--intake-color-primary);
    color: var(--intake-color-on-primary);
    font-weight: var(--intake-font-weight-strong);
  }
  /* Too short for the header, the tabs and a view together (400 % zoom, a phone on its side): a
     compact header, and the whole panel scrolls as one instead of cutting the view off. */
  @media (max-height: 480px) {
    .panel {
      overflow-y: auto;
    }
    .header {
      padding-block: 0;
    }
    .view {
      flex: 1 0 auto;
      min-block-size: 16em;
    }
  }
  @media (forced-colors: active) {
    .panel {
      border: 2px solid CanvasText;
    }
    /* Forced colours turn the unselected tabs' transparent line black: draw it as the canvas, and
       only the selected tab gets a line (a thicker one, in Highlight). */
    .tab {
      border-block-end-color: Canvas;
    }
    .tab[aria-selected='true'] {
      border-block-end: 4px solid Highlight;
    }
    .close,
    .large-text-toggle {
      border: 2px solid ButtonText;
    }
    .large-text-toggle[aria-pressed='true'] {
      background: Highlight;
      color: HighlightText;
    }
  }
  /* unread chat messages on the Chat tab while another tab is shown */
  .tab-badge {
    display: inline-block;
    min-inline-size: 1.5em;
    padding: 0 0.35em;
    border-radius: var(--intake-radius-full);
    background: var(--intake-color-danger);
    color: var(--intake-color-surface);
    font-size: 0.75em;
    line-height: 1.5em;
    text-align: center;
  }
  @media (forced-colors: active) {
    .tab-badge {
      background: Highlight;
      color: HighlightText;
    }
  }
`;
