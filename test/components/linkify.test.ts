import { expect } from '@open-wc/testing';
import { linkify, safeHref } from '../../src/components/shared/linkify.js';

describe('linkify', () => {
  it('links only http, https, mailto and tel', () => {
    const parts = linkify('a https://x.gov/p?q=1. b http://y.cn c mailto:a@b.cn d tel:+86 10 1234 e javascript:alert(1) f data:text/html,x g ftp://z');
    expect(parts.filter((p) => p.href).map((p) => p.href)).to.deep.equal(['https://x.gov/p?q=1', 'http://y.cn/', 'mailto:a@b.cn', 'tel:+86101234']);
    expect(parts.map((p) => p.text).join('')).to.equal('a https://x.gov/p?q=1. b http://y.cn c mailto:a@b.cn d tel:+86 10 1234 e javascript:alert(1) f data:text/html,x g ftp://z');
  });

  it('keeps full-width punctuation out of links', () => {
    const parts = linkify('请看https://gov.example/a。谢谢');
    expect(parts.map((p) => p.text)).to.deep.equal(['请看', 'https://gov.example/a', '。谢谢']);
  });

  it('refuses unsafe schemes', () => {
    expect(safeHref('javascript:alert(1)')).to.equal(undefined);
    expect(safeHref('JAVASCRIPT:alert(1)')).to.equal(undefined);
    expect(safeHref('data:text/html,<b>')).to.equal(undefined);
    expect(safeHref('https://ok.example')).to.equal('https://ok.example/');
  });
});
