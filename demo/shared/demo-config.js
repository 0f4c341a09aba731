// Demo pages learn where the reference server is from /demo/config.json (served by `npm start`)
// and hand it to every element marked data-demo-endpoint, and to links marked data-demo-console.
// `?api=<base URL>` on the page overrides it (tests that start their own server use it).
const fallback = { apiBase: 'http://127.0.0.1:8787/api/v1', staffToken: '' };

export async function demoConfig() {
  const override = new URLSearchParams(location.search).get('api');
  let config = fallback;
  try {
    const res = await fetch('/demo/config.json');
    if (res.ok) config = { ...fallback, ...(await res.json()) };
  } catch {
    // keep the fallback
  }
  return override ? { ...config, apiBase: override } : config;
}

/** The config, fetched once per page. */
export const config = await demoConfig();

for (const el of document.querySelectorAll('[data-demo-endpoint]')) el.setAttribute('endpoint', config.apiBase);
for (const a of document.querySelectorAll('a[data-demo-console]')) {
  a.href = `/demo/console/?api=${encodeURIComponent(config.apiBase)}&token=${encodeURIComponent(config.staffToken)}`;
}
for (const el of document.querySelectorAll('[data-demo-api-base]')) el.textContent = config.apiBase;
