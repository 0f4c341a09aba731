import { expect } from '@open-wc/testing';

describe('test harness', () => {
  it('runs TypeScript with legacy decorators in a real browser', () => {
    function tag(): ClassDecorator { return () => undefined; }
    @tag()
    class Probe { value = 1; }
    expect(new Probe().value).to.equal(1);
    expect(typeof document.createElement).to.equal('function');
  });
});
