// Demo pages learn where the reference server is from /demo/config.json (served by `npm start`)
// and hand it to every intake element on the page, and to links marked data-demo-link.
const fallback = { apiBase: 'http://127.0.0.1:8787/api/v1', staffToken: '' };

export async function demoConfig() {
  try {
    const res = await fetch('/demo/config.json');
    return res.ok ? { ...fallback, ...(await res.json()) } : fallback;
  } catch {
    return fallback;
  }
}

const config = await demoConfig();
for (const el of document.querySelectorAll('[data-demo-endpoint]')) el.setAttribute('endpoint', config.apiBase);
for (const a of document.querySelectorAll('a[data-demo-console]')) {
  a.href = `/demo/console/?api=${encodeURIComponent(config.apiBase)}&token=${encodeURIComponent(config.staffToken)}`;
}
