// Builds DOM nodes. Server data only ever becomes text nodes or attribute values: nothing here
// parses HTML, so a subject like `<img onerror=...>` shows as the characters it is.

export type Child = Node | string | number | null | undefined | false;

export function el(
  tag: string,
  attrs: Readonly<Record<string, string | undefined>> = {},
  ...children: Child[]
): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
  append(node, children);
  return node;
}

export function append(node: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function button(
  label: string,
  onClick: () => void,
  attrs: Record<string, string | undefined> = {},
): HTMLElement {
  const b = el('vscode-button', { appearance: 'secondary', ...attrs }, label);
  b.addEventListener('click', () => {
    if (b.hasAttribute('disabled')) return;
    onClick();
  });
  return b;
}

export function badge(text: string, title?: string): HTMLElement {
  return el('vscode-badge', { title }, text);
}

export function tag(text: string): HTMLElement {
  return el('vscode-tag', {}, text);
}

/** A toolkit data grid built from rows of cells (strings or nodes). */
export function grid(
  columns: readonly string[],
  rows: ReadonlyArray<readonly Child[]>,
  attrs: Record<string, string | undefined> = {},
): HTMLElement {
  const g = el('vscode-data-grid', { 'generate-header': 'none', ...attrs });
  const header = el('vscode-data-grid-row', { 'row-type': 'sticky-header' });
  columns.forEach((c, i) =>
    header.appendChild(
      el('vscode-data-grid-cell', { 'cell-type': 'columnheader', 'grid-column': String(i + 1) }, c),
    ),
  );
  g.appendChild(header);
  for (const cells of rows) {
    // Marked, because the toolkit gives every row a row-type attribute once it upgrades.
    const row = el('vscode-data-grid-row', { 'data-row': '' });
    cells.forEach((c, i) =>
      row.appendChild(el('vscode-data-grid-cell', { 'grid-column': String(i + 1) }, c)),
    );
    g.appendChild(row);
  }
  return g;
}

/** `term: value` pairs as a definition list. */
export function facts(pairs: ReadonlyArray<readonly [string, Child]>): HTMLElement {
  const dl = el('dl', { class: 'facts' });
  for (const [k, v] of pairs) {
    if (v === undefined || v === null || v === false) continue;
    dl.appendChild(el('dt', {}, k));
    dl.appendChild(el('dd', {}, v));
  }
  return dl;
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return el('section', {}, el('h3', {}, title), ...children);
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
