// Cited sources against the URLs this row's tool calls returned: one spelling per URL, unknown ones dropped and counted.
import { describe, expect, it } from 'vitest';
import { KnownUrls, checkSources, normalizeUrl } from '../../../../backend/src/engine/research/sources.js';

function known(...urls: string[]): KnownUrls {
  const k = new KnownUrls();
  for (const u of urls) k.add(u);
  return k;
}

describe('normalizeUrl', () => {
  it('treats scheme and host case, a trailing slash, a default port and a fragment as the same URL', () => {
    const same = ['https://Acme.Example/About/', 'HTTPS://acme.example:443/About#team', 'https://acme.example/About'];
    expect(new Set(same.map(normalizeUrl))).toEqual(new Set(['https://acme.example/About']));
  });

  it('keeps path case and the query, which can name another page', () => {
    expect(normalizeUrl('https://a.example/About')).not.toBe(normalizeUrl('https://a.example/about'));
    expect(normalizeUrl('https://a.example/p?id=1')).not.toBe(normalizeUrl('https://a.example/p?id=2'));
  });

  it('refuses what is not an http(s) URL', () => {
    expect(normalizeUrl('javascript:alert(1)')).toBeNull();
    expect(normalizeUrl('acme.example')).toBeNull();
    expect(normalizeUrl('ftp://acme.example/x')).toBeNull();
  });
});

describe('checkSources', () => {
  it('keeps known URLs once, spelled as the tool returned them, and counts the unknown ones', () => {
    const check = checkSources(['https://ACME.example/', 'https://acme.example', 'https://invented.example/'], known('https://acme.example/'), { Founded: 1987 });
    expect(check).toEqual({ sources: ['https://acme.example/'], dropped: 1 });
  });

  it('finds a row invalid when it states values but cites nothing verifiable', () => {
    expect(checkSources(['https://invented.example/'], known('https://acme.example/'), { Founded: 1987 }).problem).toMatch(/none of the 1 cited sources/);
    expect(checkSources([], known('https://acme.example/'), { Founded: 1987 }).problem).toMatch(/no sources were cited/);
  });

  it('accepts a row that states nothing (every value null or blank) without sources', () => {
    expect(checkSources([], known(), { Founded: null, Summary: '  ' })).toEqual({ sources: [], dropped: 0 });
  });
});
