/** Layout shared by the request and the conversation detail views. */
import { css } from 'lit';

export const detail = css`
  :host { display: block; container-type: inline-size; }
  article { padding: 1em 1.2em 2em; }
  .head { display: grid; gap: 0.35em; padding-bottom: 0.8em; border-bottom: 1px solid var(--c-border); }
  .head h2 { font-size: 1.3em; font-variant-numeric: tabular-nums; }
  .head h2:focus { outline: none; }
  .head h2:focus-visible { outline: 3px solid var(--c-focus); }
  .badges { display: flex; flex-wrap: wrap; gap: 0.35em; align-items: center; }
  .meta { color: var(--c-muted); font-size: 0.9em; }
  .layout { display: grid; gap: 1.2em; margin-top: 1em; }
  @container (min-width: 760px) {
    .layout { grid-template-columns: minmax(0, 1fr) minmax(240px, 300px); align-items: start; }
  }
  .main, .side { display: grid; gap: 1.2em; min-width: 0; }
  section { display: grid; gap: 0.5em; }
  h3 { font-size: 0.85em; text-transform: uppercase; letter-spacing: 0.04em; color: var(--c-muted); }
  .text { white-space: pre-wrap; overflow-wrap: anywhere; }
  .panel { padding: 0.75em 0.9em; }
  dl { display: grid; grid-template-columns: minmax(6em, max-content) minmax(0, 1fr); gap: 0.25em 0.8em; margin: 0; }
  dt { color: var(--c-muted); font-size: 0.9em; }
  dd { margin: 0; overflow-wrap: anywhere; }
  form { display: grid; gap: 0.45em; }
  .inline { display: flex; gap: 0.5em; align-items: end; flex-wrap: wrap; }
  .inline > .grow { flex: 1; min-width: 10em; display: grid; gap: 0.2em; }
  .inline select, .inline input { width: 100%; }
  .buttons { display: flex; gap: 0.5em; flex-wrap: wrap; justify-content: flex-end; }
  ol.timeline { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5em; }
  ol.timeline li { display: grid; gap: 0.1em; padding-inline-start: 0.9em; border-inline-start: 3px solid var(--c-border); }
  ol.timeline time, .when { color: var(--c-muted); font-size: 0.85em; font-variant-numeric: tabular-nums; }
  .notice { color: var(--c-ok); font-weight: 600; }
  .hint { font-size: 0.85em; color: var(--c-muted); font-weight: 400; }
  h4 { font-size: 0.95em; }

  /* Who works on it: the assignee, claim / unassign, and the dispatcher's "assign to". */
  .assignment { display: flex; flex-wrap: wrap; gap: 0.4em 1em; align-items: center; }
  .assignment .buttons { justify-content: flex-start; }
  .assignment form.inline { flex: 1 1 16em; max-inline-size: 26em; margin-inline-start: auto; }
  .assignment form.inline label { font-size: 0.85em; color: var(--c-muted); }

  /* Attachments: a preview for images, open and download for every file. */
  ul.files { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5em; }
  ul.files li { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em 0.75em; padding: 0.45em 0.6em;
    border: 1px solid var(--c-border); border-radius: 6px; background: var(--c-surface); }
  ul.files .file-name { flex: 1 1 10em; min-inline-size: 0; overflow-wrap: anywhere; }
  ul.files .buttons { flex-wrap: nowrap; }
  .thumb { inline-size: 72px; block-size: 72px; padding: 0; border: 1px solid var(--c-border); border-radius: 4px;
    overflow: hidden; background: var(--c-bg); cursor: zoom-in; flex: none; }
  .thumb img { display: block; inline-size: 100%; block-size: 100%; object-fit: cover; }
  .thumb.placeholder { display: inline-block; cursor: default; }

  /* Notes: internal ones stand apart from those the resident sees. */
  .badge.internal { background: #fff1d6; color: #6b4500; }
  .badge.public { background: #e3f1e6; color: #1c6b33; }
  ol.timeline li.internal { border-inline-start-color: #c98a00; }
  fieldset.choices { border: 0; padding: 0; margin: 0; display: grid; gap: 0.3em; }
  fieldset.choices legend { font-size: 0.9em; font-weight: 600; padding: 0; margin-block-end: 0.2em; }
  fieldset.choices label { display: flex; gap: 0.4em; align-items: center; font-weight: 400; }
`;
