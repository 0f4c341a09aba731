/** The HTML pages the browser benchmarks load (served next to a snapshot of dist/). */

const hostStyle = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d2733; }
  header { background: #0b4f8a; color: #fff; padding: 16px 20px; }
  nav a { color: #fff; margin-right: 12px; }
  main { max-width: 760px; margin: 0 auto; padding: 20px; }
  .hero { font-size: 28px; line-height: 1.3; margin: 12px 0 20px; }
  .notice { border: 1px solid #c8d3df; padding: 12px 16px; border-radius: 6px; margin: 16px 0; }
  footer { padding: 20px; color: #55606d; }`;

const paragraph = (i: number) =>
  `<p>Section ${i}: residents of the community can collect recycling bags at the street office on weekdays between 9:00 and 17:00. ` +
  'Bulky waste is taken on the first Saturday of each month; book a slot by phone at least two days ahead. ' +
  'Questions about heating, water and building works go to the district service hall.</p>';

/**
 * A community portal: header, navigation, a large heading (the LCP element) and text. `extra`
 * goes at the end of <body> (the widget's tag, if any).
 */
export function hostPage(extra = ''): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Garden Community — resident services</title>
<style>${hostStyle}</style>
</head>
<body>
<header><strong>Garden Community</strong><nav><a href="#news">News</a><a href="#services">Services</a><a href="#contact">Contact</a></nav></header>
<main>
<h1 class="hero">Resident services of Garden Community, Xinhua Street, Riverside District</h1>
<div class="notice">Water supply will be interrupted on Thursday from 9:00 to 13:00 for pipe repairs.</div>
${Array.from({ length: 12 }, (_, i) => paragraph(i + 1)).join('\n')}
</main>
<footer>Garden Community Residents' Committee</footer>
${extra}
</body>
</html>`;
}

export type HostVariant = 'plain' | 'classic' | 'module';

export function hostVariant(variant: HostVariant, api: string, site: string): string {
  switch (variant) {
    case 'plain':
      return hostPage();
    case 'classic':
      return hostPage(`<script src="/intake-widgets.iife.js" data-endpoint="${api}" data-site="${site}" data-locale="zh-CN" async></script>`);
    case 'module':
      return hostPage(`<script type="module" src="/intake-widgets.js"></script>\n<intake-widget endpoint="${api}" site="${site}" locale="zh-CN"></intake-widget>`);
  }
}

/** The page for interaction, rendering and memory runs: the ES build, optionally a widget. */
export function benchPage(widget: { api: string; site: string } | null, locale = 'en'): string {
  return hostPage(
    `<script type="module" src="/intake-widgets.js"></script>\n` +
      (widget ? `<intake-widget endpoint="${widget.api}" site="${widget.site}" locale="${locale}"></intake-widget>` : ''),
  );
}
