// The corpus's pages as HTML, with the navigation, cookie banner and footer real sites carry, so a reader has work to do.
import type { Company } from './corpus.js';

export type PageKind = 'home' | 'about' | 'directory';

export interface RenderedPage {
  readonly title: string;
  readonly html: string;
  /** The page's main text in one paragraph, for search snippets. */
  readonly summary: string;
}

export function renderPage(company: Company, kind: PageKind): RenderedPage {
  const c = company;
  const facts = `${c.name} was founded in ${c.founded} and is headquartered in ${c.headquarters}.`;
  const people = `${c.ceo} is the chief executive officer of ${c.name}, which employs about ${c.employees.toLocaleString('en-US')} people.`;
  const makes = `${c.name} works in ${c.industry} and is known for ${c.products.join(' and ')}.`;
  if (kind === 'home') {
    const title = `${c.name} | Official site`;
    const summary = `${makes} ${facts}`;
    const body = `<h1>${esc(c.name)}</h1><p>${esc(makes)}</p><p>${esc(`Visit our stores and partners across ${c.country}.`)}</p><p>${esc(facts)}</p>`;
    return { title, summary, html: site(c, title, body) };
  }
  if (kind === 'about') {
    const title = `About us | ${c.name}`;
    const summary = `${facts} ${people} ${makes}`;
    const history = [
      `${c.name} began in ${c.founded} in a small workshop in ${c.city ?? c.country}. ${facts}`,
      `${people} Over the decades the company grew from a handful of founders into a team spread across several offices.`,
      `${makes} Its customers range from small shops to large retailers, and it publishes an annual report on its operations.`,
      `The company's values are craftsmanship, transparency and long-term thinking. It invests in training and in the communities around its sites.`,
    ];
    const body = `<article><h1>About ${esc(c.name)}</h1>${history.map((p) => `<p>${esc(p)}</p>`).join('')}<h2>Leadership</h2><p>${esc(people)}</p></article>`;
    return { title, summary, html: site(c, title, body) };
  }
  const title = `${c.name} company profile | Rowfill Business Directory`;
  const summary = `${c.name}: ${c.industry}, founded ${c.founded}, headquarters ${c.headquarters}, CEO ${c.ceo}, about ${c.employees} employees.`;
  const rows: [string, string][] = [
    ['Industry', c.industry],
    ['Founded', String(c.founded)],
    ['Headquarters', c.headquarters],
    ['CEO', c.ceo],
    ['Employees', c.employees.toLocaleString('en-US')],
  ];
  const body = `<article><h1>${esc(c.name)}</h1><p>${esc(`${c.name} is a ${c.industry} company. ${facts} ${people}`)}</p><table>${rows
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('')}</table><p>${esc('Profile data is compiled from public filings and company statements. Last reviewed this year.')}</p></article>`;
  return { title, summary, html: directorySite(title, body) };
}

function site(c: Company, title: string, main: string): string {
  return page(
    title,
    `<header><nav><a href="/">Home</a> <a href="/about">About</a> <a href="/shop">Shop</a> <a href="/careers">Careers</a> <a href="/contact">Contact</a></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button> <button>Settings</button></div>
<main>${main}</main>
<aside><h3>Newsletter</h3><p>Sign up for offers and news.</p><form><input type="email"><button>Subscribe</button></form></aside>
<footer><p>© 2026 ${esc(c.name)}. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a> <a href="/cookies">Cookie policy</a></footer>`,
  );
}

function directorySite(title: string, main: string): string {
  return page(
    title,
    `<header><nav><a href="/">Directory home</a> <a href="/companies">Companies</a> <a href="/industries">Industries</a> <a href="/login">Log in</a></nav></header>
<main>${main}</main>
<aside><h3>Sponsored</h3><p>Grow your business with our premium listing.</p></aside>
<footer><p>Rowfill Business Directory (simulated). Data may be incomplete.</p><a href="/privacy">Privacy</a></footer>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><script>window.analytics = [];</script><style>nav a { margin: 4px }</style></head><body>${body}</body></html>`;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
