/**
 * The classic script's entry (dist/intake-widgets.iife.js): src/embed.ts for its side effect only.
 * Having no exports, the IIFE assigns no global of its own; `window.IntakeWidgets` is the one.
 */
import './embed.js';
