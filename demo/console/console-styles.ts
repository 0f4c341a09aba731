/** Shared CSS for the console's elements: tokens, controls, badges. */
import { css } from 'lit';

export const base = css`
  :host {
    --c-bg: #f5f6f8;
    --c-surface: #ffffff;
    --c-text: #1b1f24;
    --c-muted: #5a6270;
    --c-border: #d5d9df;
    --c-primary: #0b5cad;
    --c-primary-text: #ffffff;
    --c-focus: #f2a900;
    --c-new: #fff4d6;
    --c-danger: #b3261e;
    --c-ok: #1c6b33;
    --c-selected: #e6f0fb;
    box-sizing: border-box;
    color: var(--c-text);
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif;
    font-size: 15px;
    line-height: 1.45;
  }
  *, *::before, *::after { box-sizing: inherit; }
  h1, h2, h3, h4 { margin: 0; line-height: 1.25; }
  h2 { font-size: 1.15em; }
  h3 { font-size: 1em; }
  p { margin: 0; }
  [hidden] { display: none !important; }

  button, select, input, textarea {
    font: inherit;
    color: inherit;
  }
  button {
    border: 1px solid var(--c-primary);
    background: var(--c-primary);
    color: var(--c-primary-text);
    border-radius: 6px;
    padding: 0.35em 0.9em;
    min-height: 2.2em;
    cursor: pointer;
    font-weight: 600;
  }
  button.secondary {
    background: var(--c-surface);
    color: var(--c-primary);
  }
  button.danger {
    background: var(--c-surface);
    color: var(--c-danger);
    border-color: var(--c-danger);
  }
  button:disabled { opacity: 0.55; cursor: not-allowed; }
  select, input, textarea {
    border: 1px solid #8a929e;
    border-radius: 6px;
    background: var(--c-surface);
    padding: 0.3em 0.5em;
    min-height: 2.2em;
  }
  textarea { width: 100%; resize: vertical; min-height: 4.5em; }
  :focus-visible {
    outline: 3px solid var(--c-focus);
    outline-offset: 2px;
  }
  label { font-weight: 600; font-size: 0.9em; }

  .badge {
    display: inline-block;
    padding: 0.05em 0.55em;
    border-radius: 999px;
    font-size: 0.8em;
    font-weight: 600;
    border: 1px solid transparent;
    white-space: nowrap;
  }
  .status-received, .status-open { background: #fde2e1; color: #8a1c15; }
  .status-waiting { background: #fde2e1; color: #8a1c15; }
  .status-routed { background: #fff0c2; color: #6b4a00; }
  .status-in_progress { background: #dcebfb; color: #0a4a8c; }
  .status-replied { background: #e3f4e6; color: #1c6b33; }
  .status-resolved { background: #d3eed9; color: #145226; }
  .status-closed { background: #e7e9ec; color: #3d4450; }
  .kind { background: #eef0f3; color: #2f3641; border-color: var(--c-border); }
  .muted { color: var(--c-muted); }
  .error {
    color: var(--c-danger);
    background: #fdecea;
    border: 1px solid #f1b7b3;
    border-radius: 6px;
    padding: 0.4em 0.7em;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .card {
    background: var(--c-surface);
    border: 1px solid var(--c-border);
    border-radius: 8px;
  }
`;
