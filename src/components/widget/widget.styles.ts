import { css } from '../../styles/css.js';

/**
 * The launcher: all that loads before intent. The panel's rules are in panel.styles.ts.
 * Token chain: global `--intake-*` → hook `--intake-launcher-*` → private `--_*`.
 */
export const styles = css`
  :host {
    --_launcher-size: var(--intake-launcher-size, 56px);
    --_offset: var(--intake-launcher-offset, 20px);
    --_offset-block: var(--intake-launcher-offset-block, var(--_offset));
    --_offset-inline: var(--intake-launcher-offset-inline, var(--_offset));
    /* written inline on the launcher by its placement (see place() in widget.component.ts) */
    --_lift: 0px;
    /* set while a focused host element would be under the launcher (widget.component.ts) */
    --_dodge: 0px;
    --_vv-block: 0px;
    --_vv-inline: 0px;
    --_launcher-z: var(--intake-z-index-launcher, 2147483000);
    --_launcher-bg: var(--intake-launcher-background, var(--intake-color-primary));
    --_launcher-bg-hover: var(--intake-launcher-background-hover, var(--intake-color-primary-hover));
    --_launcher-fg: var(--intake-launcher-color, var(--intake-color-on-primary));
    --_launcher-radius: var(--intake-launcher-radius, var(--intake-radius-full));
    --_launcher-shadow: var(--intake-launcher-shadow, var(--intake-shadow-launcher));
    display: contents;
  }
  /* Every inherited property is the widget's own from here down: a host's '* {… !important}'
     reaches the custom element itself (a light-DOM element), so :host alone cannot stop it. */
  .root {
    /* 'all' resets every inherited property but direction (the dir attribute sets that) */
    all: initial;
    display: contents;
    color-scheme: inherit;
    box-sizing: inherit;
    font-family: var(--intake-font-family);
    font-size: calc(var(--intake-font-size-base) * var(--_text-scale, 1));
    line-height: var(--intake-line-height);
    color: var(--intake-color-text);
  }
  :host([large-text]) .root {
    font-size: calc(var(--intake-font-size-large) * var(--_text-scale, 1));
  }
  /* The panel could not be loaded: a note above the launcher, with the site's phone number. */
  .unavailable {
    position: fixed;
    z-index: var(--_launcher-z);
    inset: auto;
    margin: 0;
    inset-block-end: calc(var(--_offset-block) + var(--_launcher-size) + var(--intake-space-sm) + var(--_lift) + var(--_vv-block) + env(safe-area-inset-bottom, 0px));
    inset-inline-end: calc(var(--_offset-inline) + var(--_vv-inline) + env(safe-area-inset-right, 0px));
    max-inline-size: min(22em, calc(100vw - 2 * var(--_offset-inline)));
    padding: var(--intake-space-md);
    border: 1px solid var(--intake-color-border);
    border-radius: var(--intake-radius-md);
    background: var(--intake-color-surface);
    color: var(--intake-color-text);
    box-shadow: var(--_launcher-shadow);
    font: inherit;
  }
  .unavailable-text {
    margin: 0;
  }
  .unavailable-text + .unavailable-text {
    margin-block-start: var(--intake-space-sm);
  }
  .unavailable-phone {
    color: var(--intake-color-primary);
    font-weight: 600;
  }
  .launcher {
    position: fixed;
    z-index: var(--_launcher-z);
    /* undoes the popover's centring (the launcher sits in the top layer) */
    inset: auto;
    margin: 0;
    overflow: visible;
    /* --_lift: the height of a fixed host bar (cookie banner) under the launcher's corner */
    /* --_vv-*: how far the fixed layer reaches past the visible screen (a page wider than a phone) */
    inset-block-end: calc(var(--_offset-block) + var(--_lift) + var(--_dodge) + var(--_vv-block) + env(safe-area-inset-bottom, 0px));
    inset-inline-end: calc(var(--_offset-inline) + var(--_vv-inline) + env(safe-area-inset-right, 0px));
    display: inline-flex;
    align-items: center;
    gap: var(--intake-space-sm);
    min-block-size: var(--_launcher-size);
    min-inline-size: var(--_launcher-size);
    padding-block: 0;
    padding-inline: 0.9em 1.1em;
    border: 2px solid transparent;
    border-radius: var(--_launcher-radius);
    background: var(--_launcher-bg);
    color: var(--_launcher-fg);
    box-shadow: var(--_launcher-shadow);
    font-weight: var(--intake-font-weight-strong);
    font-size: 1em;
    line-height: 1.3;
    transition: transform var(--intake-motion-duration, 160ms) ease;
  }
  /* Elder mode: larger, never smaller (the shared 'large-text button' rule would cap it at the target). */
  :host([large-text]) .launcher {
    min-block-size: max(var(--intake-size-target), var(--_launcher-size) + 8px);
  }
  :host([large-text]) .badge {
    font-size: 0.9em;
  }
  .bottom-start .launcher {
    inset-inline-end: auto;
    inset-inline-start: calc(var(--_offset-inline) + var(--_vv-inline) + env(safe-area-inset-left, 0px));
  }
  .launcher:hover {
    background: var(--_launcher-bg-hover);
  }
  .launcher:active {
    transform: scale(0.97);
  }
  .launcher:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 3px;
  }
  .icon {
    inline-size: 1.4em;
    block-size: 1.4em;
    flex: none;
  }
  [dir='rtl'] .icon {
    transform: scaleX(-1);
  }
  .badge {
    position: absolute;
    inset-block-start: -6px;
    inset-inline-end: -6px;
    min-inline-size: 1.5em;
    block-size: 1.5em;
    padding: 0 0.35em;
    border-radius: var(--intake-radius-full);
    background: var(--intake-color-danger);
    color: var(--intake-color-surface);
    border: 2px solid var(--intake-color-surface);
    font-size: 0.75em;
    line-height: 1.3em;
    text-align: center;
  }
  @media (forced-colors: active) {
    .launcher {
      border-color: ButtonText;
    }
    .badge {
      border-color: CanvasText;
      background: Highlight;
      color: HighlightText;
    }
  }
`;
