// web-test-runner command `ax-tree`: Chromium's full accessibility tree through CDP
// (Accessibility.getFullAXTree), flattened to what a screen reader is told about each node:
// role, name, description, and properties (required, live, invalid, focused…). Other engines
// answer { nodes: null } (the tests then check the DOM only).
export function axTreePlugin() {
  return {
    name: 'ax-tree-command',
    async executeCommand({ command, session }) {
      if (command !== 'ax-tree') return undefined;
      // A command answering null or undefined counts as unknown: other engines answer { nodes: null }.
      if (session.browser.type !== 'puppeteer' || !/^Chrom/.test(session.browser.name)) return { nodes: null };
      const page = session.browser.getPage(session.id);
      const cdp = await page.createCDPSession();
      try {
        const { nodes } = await cdp.send('Accessibility.getFullAXTree');
        return {
          nodes: nodes
          .filter((n) => !n.ignored)
          .map((n) => ({
            role: n.role?.value ?? '',
            name: n.name?.value ?? '',
            description: n.description?.value ?? '',
            properties: Object.fromEntries((n.properties ?? []).map((p) => [p.name, p.value?.value])),
          })),
        };
      } finally {
        await cdp.detach().catch(() => undefined);
      }
    },
  };
}
