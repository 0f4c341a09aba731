/**
 * The door's XML writer (demo/server/open311/xml.ts) against the test-only strict parser
 * (fixtures/open311/xml.ts) and the parser's own refusals (so the client tests can fail).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { xmlDocument, xmlText } from '../../demo/server/open311/xml.js';
import { multiXml, parseXml, xmlSimple } from './fixtures/open311/xml.js';

describe('Open311 XML writer', () => {
  test('escapes markup characters and keeps CR; characters XML 1.0 forbids become U+FFFD', () => {
    assert.equal(xmlText('a & b < c > d'), 'a &amp; b &lt; c &gt; d');
    assert.equal(xmlText('x]]>y'), 'x]]&gt;y');
    assert.equal(xmlText('one\r\ntwo\tthree'), 'one&#13;\ntwo\tthree');
    assert.equal(xmlText('bell\u0007 esc\u001b ff\u000c \uFFFE'), 'bell\uFFFD esc\uFFFD ff\uFFFD \uFFFD');
    assert.equal(xmlText('lone \uD800 high, lone \uDC00 low, pair \uD83D\uDE00'), 'lone \uFFFD high, lone \uFFFD low, pair \uD83D\uDE00');
    const nasty = 'Tom & Jerry\'s "<script>" ]]> \u0001 \r\n 噪音 شاۋقۇن 😀';
    const root = parseXml(xmlDocument('service_requests', [{ description: nasty }]));
    assert.equal(root.children[0]!.children[0]!.text, nasty.replace('\u0001', '\uFFFD'));
  });

  test('lists get GeoReport v2’s item names, null is an empty element, booleans are words', () => {
    const doc = xmlDocument('services', [{ service_code: 'noise', metadata: true, group: null }]);
    assert.equal(doc, [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<services>',
      '  <service>',
      '    <service_code>noise</service_code>',
      '    <metadata>true</metadata>',
      '    <group></group>',
      '  </service>',
      '</services>',
      '',
    ].join('\n'));
    const def = xmlSimple(xmlDocument('service_definition', { service_code: 'x', attributes: [{ code: 'a', order: 1, values: [{ key: 'k', name: 'N' }] }] }));
    assert.deepEqual(def, { service_code: 'x', attributes: [{ code: 'a', order: '1', values: [{ key: 'k', name: 'N' }] }] });
    assert.deepEqual(xmlSimple(xmlDocument('service_request_updates', [{ update_id: '1' }])), { request_update: [{ update_id: '1' }] });
    assert.deepEqual(xmlSimple(xmlDocument('errors', [{ code: 400, description: 'd' }])), { error: [{ code: '400', description: 'd' }] });
    assert.deepEqual(multiXml(xmlDocument('discovery', { endpoints: [{ formats: ['text/xml', 'application/json'] }] })),
      { discovery: { endpoints: { endpoint: { formats: { format: ['text/xml', 'application/json'] } } } } });
    assert.throws(() => xmlDocument('bad name', {}), /element name/);
  });
});

describe('the test parser refuses what is not well-formed', () => {
  for (const [what, doc] of [
    ['a mismatched end tag', '<a><b></a></b>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a bare ampersand', '<a>Tom & Jerry</a>'],
    ['a < in text', '<a>3 < 5</a>'],
    ['two roots', '<a/><b/>'],
    ['text after the root', '<a/>x'],
    ['a control character', '<a>\u0001</a>'],
    ['a control character reference', '<a>&#1;</a>'],
    ['an unclosed element', '<a><b></b>'],
    [']]> in text', '<a>]]></a>'],
  ] as const) {
    test(what, () => assert.throws(() => parseXml(doc)));
  }
  test('and reads what is', () => {
    const root = parseXml('<?xml version="1.0" encoding="utf-8"?>\n<!-- c --><a x="1"><b>&lt;&amp;&#x4E2D;&#25991;</b><c/></a>\n');
    assert.equal(root.name, 'a');
    assert.equal(root.attributes.x, '1');
    assert.equal(root.children[0]!.text, '<&中文');
  });
});
