import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { RequestKindSchema } from '../../src/client/protocol.js';

test('protocol schemas load on Node', () => {
  assert.equal(v.parse(RequestKindSchema, 'complaint'), 'complaint');
});
