// The settings form: input columns from the header row, output columns, model, workers, budget, speed, research, header row.
import { isListedModel } from '../../backend/src/kernel/models.js';
import { DEFAULT_LIMITS } from '../../backend/src/kernel/limits.js';
import { MODELS, normalizeSettings, validateSettings, type Settings } from '../src/settings-model.js';
import type { HeaderColumn } from '../src/sidebar-api.js';
import { byId, clear, el } from './dom.js';
import { clearFieldErrors, showFieldErrors } from './field-errors.js';
import { OutputEditor } from './output-editor.js';

export class SettingsForm {
  readonly form = byId<HTMLFormElement>('settings-form');
  private readonly outputs: OutputEditor;
  private header: readonly HeaderColumn[] = [];
  /** The header row the column list was read from; the list says nothing about another row. */
  private headerRow = 1;

  constructor(onChange: () => void) {
    this.outputs = new OutputEditor(byId<HTMLOListElement>('output-list'), onChange);
    byId('add-output').addEventListener('click', () => this.outputs.add());
    for (const id of ['model', 'priceInput', 'priceOutput', 'workers', 'budgetUsd', 'headerRow', 'maxSearches', 'maxPages']) byId(id).addEventListener('input', onChange);
    byId('workersAuto').addEventListener('change', () => {
      this.showWorkers();
      onChange();
    });
    byId('mode').addEventListener('change', () => {
      this.showLateRows();
      onChange();
    });
    byId('researchEnabled').addEventListener('change', () => {
      this.showResearch();
      onChange();
    });
    byId('model').addEventListener('input', () => this.showPrice());
    byId('input-list').addEventListener('change', onChange);
    const models = byId('model-options');
    for (const m of MODELS) models.append(el('option', { value: m }));
  }

  /** Fills the form; columns chosen as inputs but no longer in the header stay listed (marked) so nothing is lost silently. */
  set(settings: Settings, header: readonly HeaderColumn[]): void {
    this.header = header;
    this.headerRow = settings.headerRow;
    const list = byId('input-list');
    clear(list);
    const outputNames = new Set(settings.outputs.map((o) => o.name.toLowerCase()));
    const columns = header.filter((h) => !outputNames.has(h.name.toLowerCase()) || settings.inputs.includes(h.name));
    const missing = settings.inputs.filter((i) => !header.some((h) => h.name === i));
    if (columns.length === 0 && missing.length === 0) list.append(el('p', { class: 'hint' }, 'The header row is empty: put column names in it first.'));
    [...columns.map((h) => ({ name: h.name, note: h.column })), ...missing.map((name) => ({ name, note: 'not in header' }))].forEach((c, i) => {
      const id = `input-${i}`;
      list.append(
        el(
          'div',
          { class: 'check' },
          el('input', { type: 'checkbox', id, value: c.name, checked: settings.inputs.includes(c.name) }),
          el('label', { for: id }, c.name, ' ', el('span', { class: 'hint' }, `(${c.note})`)),
        ),
      );
    });
    this.outputs.set(settings.outputs);
    byId<HTMLInputElement>('model').value = settings.model;
    byId<HTMLInputElement>('priceInput').value = settings.price && Number.isFinite(settings.price.input) ? String(settings.price.input) : '';
    byId<HTMLInputElement>('priceOutput').value = settings.price && Number.isFinite(settings.price.output) ? String(settings.price.output) : '';
    this.showPrice();
    byId<HTMLInputElement>('workers').value = Number.isFinite(settings.workers) ? String(settings.workers) : '';
    byId<HTMLInputElement>('workersAuto').checked = settings.workersAuto;
    this.showWorkers();
    byId<HTMLInputElement>('budgetUsd').value = Number.isFinite(settings.budgetUsd) ? String(settings.budgetUsd) : '';
    byId<HTMLInputElement>('headerRow').value = String(settings.headerRow);
    byId<HTMLInputElement>(`mode-${settings.mode}`).checked = true;
    byId<HTMLInputElement>('lateRowsFast').checked = settings.lateRowsFast;
    this.showLateRows();
    byId<HTMLInputElement>('researchEnabled').checked = settings.research.enabled;
    byId<HTMLInputElement>('maxSearches').value = Number.isFinite(settings.research.maxSearches) ? String(settings.research.maxSearches) : '';
    byId<HTMLInputElement>('maxPages').value = Number.isFinite(settings.research.maxPages) ? String(settings.research.maxPages) : '';
    this.showResearch();
    clearFieldErrors(this.form);
  }

  read(): Settings {
    const inputs = [...byId('input-list').querySelectorAll<HTMLInputElement>('input[type=checkbox]')].filter((c) => c.checked).map((c) => c.value);
    return normalizeSettings({
      inputs,
      outputs: this.outputs.read(),
      model: byId<HTMLInputElement>('model').value,
      price: { input: byId<HTMLInputElement>('priceInput').value, output: byId<HTMLInputElement>('priceOutput').value },
      workers: byId<HTMLInputElement>('workers').value,
      workersAuto: byId<HTMLInputElement>('workersAuto').checked,
      budgetUsd: byId<HTMLInputElement>('budgetUsd').value,
      headerRow: byId<HTMLInputElement>('headerRow').value,
      mode: byId<HTMLInputElement>('mode-cheap').checked ? 'cheap' : 'fast',
      lateRowsFast: byId<HTMLInputElement>('lateRowsFast').checked,
      research: { enabled: byId<HTMLInputElement>('researchEnabled').checked, maxSearches: byId<HTMLInputElement>('maxSearches').value, maxPages: byId<HTMLInputElement>('maxPages').value },
    });
  }

  /** The Workers number is kept but not used while "As fast as my limits allow" is on; the one hint says which applies. */
  private showWorkers(): void {
    const auto = byId<HTMLInputElement>('workersAuto').checked;
    byId<HTMLInputElement>('workers').disabled = auto;
    byId('workers-hint').textContent = auto ? `Up to ${DEFAULT_LIMITS.maxInFlight} rows at once, as the model's rate limits allow` : `Rows at once, 1–${DEFAULT_LIMITS.maxWorkers}`;
  }

  /** Only a batch can be late: the choice is shown with Cheap alone, keeping the panel short while Fast is chosen. */
  private showLateRows(): void {
    byId('late-rows').hidden = !byId<HTMLInputElement>('mode-cheap').checked;
  }

  /** The limits matter only while research is on. */
  private showResearch(): void {
    byId('research-limits').hidden = !byId<HTMLInputElement>('researchEnabled').checked;
  }

  /** The price fields are for a model Rowfill has no price for; a listed model needs none. */
  private showPrice(): void {
    const model = byId<HTMLInputElement>('model').value.trim();
    byId('price-fields').hidden = model === '' || isListedModel(model);
  }

  /** Follows a budget changed elsewhere (a resumed job), without touching the rest of the form. */
  setBudget(budgetUsd: number): void {
    byId<HTMLInputElement>('budgetUsd').value = String(budgetUsd);
  }

  /** Checks in the page first (instant feedback); the server checks again against the live header row. */
  validate(): Settings | null {
    const settings = this.read();
    const errors = validateSettings(settings, settings.headerRow === this.headerRow ? this.header.map((h) => h.name) : undefined);
    if (errors.length > 0) {
      showFieldErrors(this.form, errors);
      return null;
    }
    clearFieldErrors(this.form);
    return settings;
  }

  showErrors(errors: Parameters<typeof showFieldErrors>[1]): void {
    showFieldErrors(this.form, errors);
  }
}
