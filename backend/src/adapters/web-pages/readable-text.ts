// HTML to readable text: Mozilla Readability over linkedom's DOM, or the body's text when no article is found.
import { Readability } from '@mozilla/readability';
import { parseHTML as linkedomParse } from 'linkedom';

export interface ReadableText {
  readonly title: string;
  readonly text: string;
  readonly truncated: boolean;
}

/** Elements whose text never reads as page content. */
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'OBJECT', 'CANVAS', 'HEAD', 'TITLE']);
/** Elements that start a new line, so "Founded 1987</p><p>Headquarters" does not read as one word. */
const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BR', 'DD', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM',
  'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'TABLE', 'TD', 'TH', 'TR', 'UL',
]);

interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
}

/** The part of linkedom's document this file reads; its own types lean on the DOM lib, which the backend does not load. */
interface ParsedDocument extends DomNode {
  readonly title: string | null;
  querySelector(selector: string): DomNode | null;
  readonly body: DomNode | null;
  readonly documentElement: DomNode | null;
}

function parseHTML(html: string): ParsedDocument {
  return (linkedomParse as unknown as (markup: string) => { document: ParsedDocument })(html).document;
}

/** The readable text of an HTML document, at most `maxChars` characters. */
export function readableHtml(html: string, maxChars: number): ReadableText {
  const document = parseHTML(html);
  // `document.title` needs a <head>; the first <title> anywhere is what a browser shows.
  const documentTitle = (document.title || document.querySelector('title')?.textContent || '').trim();
  let title = documentTitle;
  let text = '';
  try {
    // Readability reads the live DOM and rewrites it, so the fallback below parses the page again.
    const article = new Readability(document, { charThreshold: 100 }).parse();
    if (article?.content) {
      const content = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`);
      text = content.body ? blockText(content.body) : '';
      if (article.title) title = article.title.trim();
    }
  } catch {
    text = '';
  }
  if (text === '') {
    // The whole document, not only <body>: linkedom does not build the implied <html>/<body> of a sloppy page, so a
    // page without those tags keeps its text outside `body`. Head, title and scripts are skipped by the walk.
    text = blockText(parseHTML(html));
  }
  return cap(title, text, maxChars);
}

/** Plain text as served, with the same whitespace tidying and cap. */
export function readablePlainText(body: string, maxChars: number): ReadableText {
  return cap('', tidy(body), maxChars);
}

function cap(title: string, text: string, maxChars: number): ReadableText {
  if (text.length <= maxChars) return { title, text, truncated: false };
  return { title, text: text.slice(0, maxChars), truncated: true };
}

/** The text under `root`, walking the DOM: skipped elements dropped, block elements on lines of their own. */
function blockText(root: DomNode): string {
  const parts: string[] = [];
  const walk = (node: DomNode): void => {
    if (node.nodeType === 3) {
      parts.push(node.textContent ?? '');
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const name = node.nodeName.toUpperCase();
    if (SKIPPED.has(name)) return;
    const block = BLOCKS.has(name);
    if (block) parts.push('\n');
    for (let i = 0; i < node.childNodes.length; i++) walk(node.childNodes[i]!);
    if (block) parts.push('\n');
  };
  walk(root);
  return tidy(parts.join(''));
}

/** Runs of spaces become one, each line is trimmed, blank lines collapse to one. */
function tidy(text: string): string {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.split(/\s+/).filter((word) => word !== '').join(' ');
    if (line === '' && (lines.length === 0 || lines[lines.length - 1] === '')) continue;
    lines.push(line);
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}
