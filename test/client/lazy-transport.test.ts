import { expect } from '@open-wc/testing';
import { IntakeError } from '../../src/client/errors.js';
import { createTransport } from '../../src/client/client.js';
import { LazyTransport } from '../../src/client/transports/lazy.js';
import type { Catalog, RequestInput } from '../../src/client/protocol.js';
import type { Transport, TransportNotice } from '../../src/client/transports/transport.js';

/** Enough of a transport to see what the lazy one forwards. */
function stub(calls: string[]): Transport {
  const transport: Partial<Transport> = {
    kind: 'open311',
    supportsChat: false,
    checkRequest: (input: RequestInput) => (input.description ? undefined : { description: 'needed' }),
    eventsUrl: () => null,
    catalog: async () => {
      calls.push('catalog');
      transport.onNotice?.({ key: 'k1', type: 'waiting_for_reference', token: 't1' });
      return { site: { id: 's' } } as unknown as Catalog;
    },
  };
  return transport as Transport;
}

describe('LazyTransport (the Open311 adapter loads on first use)', () => {
  it('loads the real transport once, on the first call, and forwards calls and notices', async () => {
    const calls: string[] = [];
    let loads = 0;
    const lazy = new LazyTransport('open311', false, async () => {
      loads++;
      return stub(calls);
    });
    const notices: TransportNotice[] = [];
    lazy.onNotice = (notice) => notices.push(notice);
    expect(loads, 'nothing loads before a call').to.equal(0);
    expect(lazy.kind).to.equal('open311');
    expect(lazy.supportsChat).to.equal(false);
    expect(lazy.checkRequest({ description: '' } as RequestInput), 'not loaded: no opinion yet').to.equal(undefined);
    await Promise.all([lazy.catalog(), lazy.catalog()]);
    expect(loads).to.equal(1);
    expect(calls).to.deep.equal(['catalog', 'catalog']);
    expect(notices.map((n) => n.token)).to.deep.equal(['t1', 't1']);
    expect(lazy.checkRequest({ description: '' } as RequestInput)).to.deep.equal({ description: 'needed' });
  });

  it('a chunk that fails to load is a network error the outbox retries; the next call loads again', async () => {
    let attempt = 0;
    const lazy = new LazyTransport('open311', false, async () => {
      attempt++;
      if (attempt === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return stub([]);
    });
    const error = await lazy.catalog().then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(IntakeError);
    expect((error as IntakeError).code).to.equal('network');
    await lazy.catalog();
    expect(attempt).to.equal(2);
  });

  it('createTransport gives Open311 lazily and the intake protocol directly', async () => {
    const open311 = createTransport({ endpoint: 'https://city.test/open311/v2', site: 'city', transport: 'open311' });
    expect(open311).to.be.instanceOf(LazyTransport);
    expect((open311 as LazyTransport).inner).to.equal(undefined);
    await (open311 as LazyTransport).ready();
    expect((open311 as LazyTransport).inner?.constructor.name).to.equal('Open311Transport');
    const intake = createTransport({ endpoint: 'https://city.test/api/v1', site: 'city' });
    expect(intake).not.to.be.instanceOf(LazyTransport);
    expect(intake.supportsChat).to.equal(true);
  });
});
