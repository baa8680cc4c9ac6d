// The fetcher the way research mode runs with no key: search results from the stand-in, opened through its resolver.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebPages } from '../../../../backend/src/adapters/web-pages/web-pages.js';
import { PageBlockedError, PageNotFoundError, PageRefusedError } from '../../../../backend/src/kernel/errors.js';
import { startSearchStandIn, type SearchStandIn } from '../../../../local/search/server.js';

let standIn: SearchStandIn;
let pages: WebPages;

beforeAll(async () => {
  standIn = await startSearchStandIn();
  pages = new WebPages({ allowLoopback: true, resolve: (hostname) => standIn.resolve(hostname), maxAttempts: 1 });
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.configure({ pageFaults: { blocked: 0, challenge: 0, notFound: 0, error500: 0, slow: 0 } });
});

const signal = (): AbortSignal => new AbortController().signal;

describe('WebPages over the search stand-in', () => {
  it("reads a company's about page as its facts, without the site's navigation, cookie banner or footer", async () => {
    const page = await pages.open({ url: standIn.pageUrl('patagonia', 'about'), signal: signal() });
    expect(page.title).toBe('About us | Patagonia');
    expect(page.text).toMatch(/Patagonia was founded in \d{4} and is headquartered in/);
    expect(page.text).toContain('chief executive officer');
    for (const noise of ['We use cookies', 'Newsletter', 'All rights reserved', 'Careers']) expect(page.text).not.toContain(noise);
  });

  it('reads the directory profile table', async () => {
    const page = await pages.open({ url: standIn.pageUrl('nike', 'directory'), signal: signal() });
    expect(page.text).toMatch(/Founded\s+\d{4}/);
  });

  it("turns the stand-in's blocked, challenge and not-found pages into their classes", async () => {
    standIn.configure({ pageFaults: { blocked: 1 } });
    await expect(pages.open({ url: standIn.pageUrl('nike', 'home'), signal: signal() })).rejects.toBeInstanceOf(PageBlockedError);
    standIn.configure({ pageFaults: { blocked: 0, challenge: 1 } });
    await expect(pages.open({ url: standIn.pageUrl('nike', 'home'), signal: signal() })).rejects.toThrow(/bot challenge/);
    standIn.configure({ pageFaults: { challenge: 0, notFound: 1 } });
    await expect(pages.open({ url: standIn.pageUrl('nike', 'home'), signal: signal() })).rejects.toBeInstanceOf(PageNotFoundError);
  });

  it('a name outside the stand-in does not exist, and nothing is looked up in real DNS', async () => {
    const error = await pages.open({ url: 'https://www.nike.com/', signal: signal() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PageNotFoundError);
    expect((error as Error).message).toContain('no such host www.nike.com');
  });

  it('even with loopback allowed for the stand-in, metadata addresses stay refused', async () => {
    await expect(pages.open({ url: 'http://169.254.169.254/latest/meta-data/', signal: signal() })).rejects.toBeInstanceOf(PageRefusedError);
  });
});
