// The playground page: the live grid (polled every second), row selection by mouse or keyboard, menu and edit buttons,
// alerts and toasts, the model badge. The grid is one tab stop (roving tabindex): arrows move, Shift+arrows extend, Space/Enter select.

interface AlertView {
  readonly kind: 'alert' | 'toast';
  readonly title: string | null;
  readonly message: string;
}

interface SheetState {
  readonly title: string;
  readonly tabTitle: string;
  readonly rows: readonly (readonly string[])[];
  readonly hiddenRows: readonly number[];
  readonly hiddenColumns: readonly number[];
  readonly typedCells: Readonly<Record<string, readonly number[]>>;
  readonly selection: readonly string[];
  readonly simulatedModel: boolean;
  readonly simulatedSearch?: boolean;
  readonly events: readonly AlertView[];
  readonly sidebarOpens: number;
}

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The page has no #${id}.`);
  return el as T;
};

const grid = $<HTMLTableElement>('grid');
const status = $('status');
const alerts = $<HTMLOListElement>('alerts');
const sidebar = $<HTMLIFrameElement>('sidebar');
let anchor: number | null = null;
/** The row number that holds the grid's one tab stop. */
let cursor = 1;
let rowCount = 1;
/** Row spans as the user picked them: click starts one, Ctrl/⌘-click adds one, shift-click extends the last. */
let selected: [number, number][] = [];
let lastRows = '';
let lastEvents = 0;
let lastSidebarOpens = -1;

function say(message: string, bad = false): void {
  status.textContent = message;
  status.className = bad ? 'status bad' : 'status';
}

async function post<T>(path: string, body: unknown = {}): Promise<T> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as T & { ok?: boolean; message?: string };
  if (!response.ok || answer.ok === false) throw new Error(answer.message ?? `${path} answered ${response.status}`);
  return answer;
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function isSelected(row: number): boolean {
  return selected.some(([from, to]) => row >= from && row <= to);
}

function rowButton(row: number): HTMLButtonElement | null {
  return grid.querySelector<HTMLButtonElement>(`button.row-head[data-row="${row}"]`);
}

function renderGrid(state: SheetState): void {
  // A redraw replaces the buttons; a keyboard user keeps their place.
  const hadFocus = grid.contains(document.activeElement);
  rowCount = Math.max(1, state.rows.length);
  cursor = Math.min(cursor, rowCount);
  const width = Math.max(1, ...state.rows.map((r) => r.length));
  const hidden = new Set(state.hiddenRows);
  const hiddenColumns = new Set(state.hiddenColumns);
  const head = document.createElement('thead');
  const top = head.insertRow();
  top.append(Object.assign(document.createElement('th'), { className: 'corner' }));
  for (let c = 0; c < width; c++) {
    const th = Object.assign(document.createElement('th'), { scope: 'col', textContent: columnName(c) });
    // As in Sheets, a hidden column is only a sliver; its name says it is there.
    if (hiddenColumns.has(c)) Object.assign(th, { className: 'hidden-col', title: `Column ${columnName(c)} is hidden (${state.rows[0]?.[c] ?? ''})` });
    top.append(th);
  }
  const body = document.createElement('tbody');
  state.rows.forEach((cells, i) => {
    const number = i + 1;
    const tr = body.insertRow();
    tr.dataset.row = String(number);
    if (isSelected(number)) tr.className = 'selected';
    if (hidden.has(number)) tr.classList.add('hidden-row');
    const th = document.createElement('th');
    th.scope = 'row';
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: String(number), className: 'row-head' });
    button.dataset.row = String(number);
    button.tabIndex = number === cursor ? 0 : -1;
    button.setAttribute('aria-pressed', String(isSelected(number)));
    th.append(button);
    tr.append(th);
    for (let c = 0; c < width; c++) {
      const td = tr.insertCell();
      const value = cells[c] ?? '';
      td.textContent = value;
      td.title = value;
      if (hiddenColumns.has(c)) td.className = 'hidden-col';
      else if (number === 1) td.className = 'header-cell';
      else if (state.rows[0]?.[c] === 'rowfill_status' && value !== '') td.className = `status-${value.split(/[:\s]/)[0] ?? ''}`;
      if (state.typedCells[String(number)]?.includes(c)) td.classList.add('typed');
    }
  });
  grid.replaceChildren(head, body);
  if (hadFocus) rowButton(cursor)?.focus();
}

function renderEvents(state: SheetState): void {
  if (state.events.length === lastEvents) return;
  lastEvents = state.events.length;
  alerts.replaceChildren(
    ...state.events
      .slice(-8)
      .reverse()
      .map((e) => {
        const li = document.createElement('li');
        li.className = e.kind;
        const strong = document.createElement('strong');
        strong.textContent = e.kind === 'toast' ? `Toast${e.title ? ` · ${e.title}` : ''}` : (e.title ?? 'Alert');
        li.append(strong, document.createTextNode(` ${e.message}`));
        return li;
      }),
  );
}

async function refresh(): Promise<void> {
  const response = await fetch('/api/sheet');
  const state = (await response.json()) as SheetState;
  $('sheet-title').textContent = `${state.title} — ${state.tabTitle}`;
  $('simulated-badge').hidden = !state.simulatedModel;
  $('simulated-search-badge').hidden = !state.simulatedSearch;
  $('selection').textContent = state.selection.length > 0 ? `Selected: ${state.selection.join(', ')}` : 'Nothing selected: click a row number (shift-click to extend, Ctrl/⌘-click to add).';
  selected = state.selection.flatMap((range) => {
    const match = /^(\d+):(\d+)$/.exec(range);
    return match ? [[Number(match[1]), Number(match[2])] as [number, number]] : [];
  });
  const key = JSON.stringify([state.rows, state.hiddenRows, state.hiddenColumns, state.typedCells, selected]);
  if (key !== lastRows) {
    lastRows = key;
    renderGrid(state);
  }
  renderEvents(state);
  if (lastSidebarOpens !== -1 && state.sidebarOpens !== lastSidebarOpens) sidebar.src = '/sidebar';
  lastSidebarOpens = state.sidebarOpens;
}

function poll(): void {
  refresh()
    .catch((error: unknown) => say(`The playground server is not answering: ${String(error)}`, true))
    .finally(() => setTimeout(poll, 1000));
}

/** Moves the grid's tab stop to `row` and focuses it. */
function moveCursor(row: number): void {
  const next = Math.min(Math.max(row, 1), rowCount);
  rowButton(cursor)?.setAttribute('tabindex', '-1');
  cursor = next;
  const button = rowButton(cursor);
  button?.setAttribute('tabindex', '0');
  button?.focus();
}

/** Selects as a click does: plain starts a range, `add` (Ctrl/⌘) adds one, `extend` (Shift) stretches the last from the anchor. */
function selectRow(row: number, how: { readonly extend: boolean; readonly add: boolean }): void {
  if (how.extend && anchor !== null) selected = [...selected.slice(0, -1), [Math.min(anchor, row), Math.max(anchor, row)]];
  else {
    anchor = row;
    selected = how.add ? [...selected, [row, row]] : [[row, row]];
  }
  const ranges = selected.map(([from, to]) => `${from}:${to}`);
  lastRows = '';
  post('/api/select', { ranges })
    .then(refresh)
    .catch((error: unknown) => say(String(error), true));
}

grid.addEventListener('click', (event) => {
  const target = (event.target as HTMLElement).closest<HTMLButtonElement>('button.row-head');
  if (!target) return;
  const row = Number(target.dataset.row);
  moveCursor(row);
  selectRow(row, { extend: event.shiftKey, add: event.ctrlKey || event.metaKey });
});

const STEPS: Readonly<Record<string, (row: number) => number>> = {
  ArrowDown: (row) => row + 1,
  ArrowUp: (row) => row - 1,
  PageDown: (row) => row + 20,
  PageUp: (row) => row - 20,
  Home: () => 1,
  End: () => rowCount,
};

grid.addEventListener('keydown', (event) => {
  if (!(event.target as HTMLElement).closest('button.row-head')) return;
  const step = STEPS[event.key];
  if (step) {
    event.preventDefault();
    if (event.shiftKey && anchor === null) anchor = cursor;
    moveCursor(step(cursor));
    if (event.shiftKey) selectRow(cursor, { extend: true, add: false });
  } else if (event.key === ' ' || event.key === 'Enter') {
    // Handled here rather than as the button's click, which Space fires only on key-up.
    event.preventDefault();
    selectRow(cursor, { extend: event.shiftKey, add: event.ctrlKey || event.metaKey });
  }
});

function wire(id: string, path: string, busy: string): void {
  const button = $<HTMLButtonElement>(id);
  button.addEventListener('click', () => {
    button.disabled = true;
    say(busy);
    post<{ message?: string }>(path)
      .then((answer) => say(answer.message ?? 'Done.'))
      .then(refresh)
      .catch((error: unknown) => say(error instanceof Error ? error.message : String(error), true))
      .finally(() => (button.disabled = false));
  });
}

wire('menu-enrich', '/api/menu/enrichSelectedRows', 'Enriching the selected rows…');
wire('menu-rerun', '/api/menu/rerunFailedRows', 'Re-running failed rows…');
wire('menu-cancel', '/api/menu/cancelRunningJob', 'Cancelling…');
wire('menu-sidebar', '/api/menu/openSidebar', 'Opening the sidebar…');
wire('sort-brand', '/api/sort', 'Sorting by Brand…');
wire('insert-row', '/api/insert-row', 'Inserting a row…');
poll();
