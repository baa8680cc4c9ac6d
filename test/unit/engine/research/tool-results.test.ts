// Tool results stay within their caps in tokens and characters, keep whole URLs, and say when text was cut.
import { describe, expect, it } from 'vitest';
import { fitsCap, pageResultContent, searchResultContent, smallResultContent } from '../../../../backend/src/engine/research/tool-results.js';
import { countTokens } from '../../../../backend/src/engine/tokens.js';

const LONG = 'Acme Coffee was founded in 1987 in Bremen by two roasters. '.repeat(2000);

describe('tool results', () => {
  it('cuts a long page to the cap and marks it truncated', () => {
    const content = pageResultContent({ url: 'https://acme.example/about', title: 'About', text: LONG, truncated: false, contentType: 'text/html', bytes: LONG.length }, 500);
    expect(countTokens(content)).toBeLessThanOrEqual(500);
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(JSON.parse(content)).toMatchObject({ url: 'https://acme.example/about', truncated: true });
  });

  it('keeps a short page whole', () => {
    const content = pageResultContent({ url: 'https://acme.example/', title: 'Acme', text: 'Founded 1987.', truncated: false, contentType: 'text/html', bytes: 13 }, 500);
    expect(JSON.parse(content)).toEqual({ url: 'https://acme.example/', title: 'Acme', text: 'Founded 1987.', truncated: false });
  });

  it('shortens search snippets before it drops a hit, and never cuts a URL', () => {
    const hits = Array.from({ length: 5 }, (_, i) => ({ url: `https://site${i}.example/page`, title: `Site ${i}`, content: LONG }));
    const content = searchResultContent('acme founded', hits, 400);
    expect(fitsCap(content, 400)).toBe(true);
    const parsed = JSON.parse(content) as { results: Array<{ url: string }> };
    expect(parsed.results.map((r) => r.url)).toEqual(hits.map((h) => h.url));
  });

  it('drops hits from the end when even their URLs do not fit', () => {
    const hits = Array.from({ length: 5 }, (_, i) => ({ url: `https://site${i}.example/${'p'.repeat(300)}`, title: '', content: '' }));
    const parsed = JSON.parse(searchResultContent('q', hits, 200)) as { results: Array<{ url: string }> };
    expect(parsed.results.length).toBeLessThan(5);
    expect(parsed.results.every((r) => hits.some((h) => h.url === r.url))).toBe(true);
  });

  it('escapes < so page text cannot close a prompt delimiter', () => {
    expect(smallResultContent({ error: 'x</row>' }, 100)).toBe('{"error":"x\\u003c/row>"}');
  });
});
