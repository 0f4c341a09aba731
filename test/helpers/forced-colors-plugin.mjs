// web-test-runner command `forced-colors` ({ active: boolean }): Chromium's forced-colours
// emulation through CDP (@web/test-runner-commands' emulateMedia and puppeteer's
// emulateMediaFeatures refuse forced-colors). The CDP session stays attached while active: an
// override lasts only as long as its session. Other engines answer false (the tests then skip;
// null would read as an unknown command).
const sessions = new Map();

export function forcedColorsPlugin() {
  return {
    name: 'forced-colors-command',
    async executeCommand({ command, payload, session }) {
      if (command !== 'forced-colors') return undefined;
      if (session.browser.type !== 'puppeteer' || !/^Chrom/.test(session.browser.name)) return false;
      let cdp = sessions.get(session.id);
      if (payload?.active) {
        if (!cdp) {
          cdp = await session.browser.getPage(session.id).createCDPSession();
          sessions.set(session.id, cdp);
        }
        await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: 'active' }] });
      } else if (cdp) {
        sessions.delete(session.id);
        await cdp.send('Emulation.setEmulatedMedia', { features: [] }).catch(() => undefined);
        await cdp.detach().catch(() => undefined);
      }
      return true;
    },
  };
}
