// The checks the classic loader (src/loader.ts) relies on, in each engine: a
// `<link rel="modulepreload" integrity>` whose hash is wrong fires `error` in Chromium and Firefox
// (the loader then never imports the module: fails closed) but `load` in WebKit, where `fetch()`
// with the hash, which rejects, is the check; one whose hash is right fires `load`, after which
// `import()` of the same URL runs the checked module without fetching it again. The loader itself,
// with tampered chunks, is tested against the built files in test/e2e/integrity.test.ts (this
// runner's dev server rewrites the files it serves, so dist/'s hashes do not hold here).
import { expect } from '@open-wc/testing';

const WRONG = `sha384-${btoa(String.fromCharCode(...new Uint8Array(48).fill(7)))}`;

function preload(href: string, integrity: string): Promise<'loaded' | 'refused'> {
  const link = document.createElement('link');
  const result = new Promise<'loaded' | 'refused'>((resolve) => {
    link.onload = () => resolve('loaded');
    link.onerror = () => resolve('refused');
  });
  link.rel = 'modulepreload';
  link.integrity = integrity;
  link.href = href;
  document.head.append(link);
  return result;
}

async function sha384(href: string): Promise<string> {
  const bytes = await (await fetch(href)).arrayBuffer();
  return `sha384-${btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-384', bytes))))}`;
}

describe('modulepreload integrity (what the classic loader builds on)', () => {
  it('supports rel=modulepreload', () => {
    expect(document.createElement('link').relList.supports('modulepreload')).to.equal(true);
  });

  // WebKitGTK 2.50 loads it: the loader does not rely on this check there.
  const webkit = /AppleWebKit/.test(navigator.userAgent) && !/Chrom|Firefox/.test(navigator.userAgent);
  it(`a wrong hash: ${webkit ? 'loaded anyway (WebKit)' : 'refused'}`, async () => {
    expect(await preload(new URL('/src/components/shared/known-flag.ts', location.href).href, WRONG)).to.equal(webkit ? 'loaded' : 'refused');
  });

  it('fetch() with a wrong hash rejects (the loader checks so first where a modulepreload is not checked: WebKit)', async () => {
    let refused = false;
    await fetch(new URL('/src/components/shared/known-flag.ts', location.href).href, { integrity: WRONG }).catch(() => (refused = true));
    expect(refused).to.equal(true);
  });

  it('the right hash: loaded, and import() then runs that module without a second fetch', async () => {
    const href = new URL('/src/components/shared/page-ready.ts?loader-test', location.href).href;
    const hash = await sha384(href);
    performance.clearResourceTimings();
    expect(await preload(href, hash)).to.equal('loaded');
    const module = (await import(/* @vite-ignore */ href)) as { afterPageLoad?: unknown };
    expect(typeof module.afterPageLoad).to.equal('function');
    const fetched = performance.getEntriesByType('resource').filter((e) => e.name === href);
    expect(fetched.length).to.be.at.most(1);
  });
});
