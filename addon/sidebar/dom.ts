// Tiny DOM helpers: typed lookups and element building without innerHTML, so sheet text is never parsed as markup.

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The sidebar page has no #${id}.`);
  return found as T;
}

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Readonly<Record<string, string | boolean | undefined>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

export function clear(node: Element): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function show(node: HTMLElement, visible: boolean): void {
  node.hidden = !visible;
}

/** Renders label/value pairs into a <dl>. */
export function fillStats(list: HTMLElement, stats: readonly (readonly [string, string])[]): void {
  clear(list);
  for (const [label, value] of stats) list.append(el('div', { class: 'stat' }, el('dt', {}, label), el('dd', {}, value)));
}
