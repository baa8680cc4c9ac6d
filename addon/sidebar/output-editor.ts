// The output-column editor: name, type (with options for a one-of list) and instruction per column; add and remove.
// Each column is a card that folds to its name and type, so a long list does not make the panel thousands of pixels tall.
import { OUTPUT_TYPES, TYPE_LABELS, type OutputColumn, type OutputType } from '../src/settings-model.js';
import { byId, clear, el } from './dom.js';

/** What the form holds for one column; options stay as typed until saved. */
export interface OutputDraft {
  name: string;
  instruction: string;
  type: OutputType;
  options: string;
}

function errorSlot(id: string): HTMLParagraphElement {
  return el('p', { id: `${id}-error`, class: 'field-error', 'aria-live': 'polite' });
}

function field(id: string, label: string, control: HTMLElement): HTMLDivElement {
  control.id = id;
  control.setAttribute('aria-describedby', `${id}-error`);
  return el('div', { class: 'field' }, el('label', { for: id }, label), control, errorSlot(id));
}

export class OutputEditor {
  private drafts: OutputDraft[] = [];

  constructor(
    private readonly list: HTMLOListElement,
    private readonly onChange: () => void,
  ) {}

  set(outputs: readonly OutputColumn[]): void {
    this.drafts = outputs.map((o) => ({ name: o.name, instruction: o.instruction, type: o.type, options: o.options.join(', ') }));
    this.render();
  }

  /** The drafts as the form holds them now (read back from the inputs, which the user edits in place). */
  read(): OutputDraft[] {
    return this.drafts.map((_, i) => ({
      name: byId<HTMLInputElement>(`outputs.${i}.name`).value,
      instruction: byId<HTMLTextAreaElement>(`outputs.${i}.instruction`).value,
      type: byId<HTMLSelectElement>(`outputs.${i}.type`).value as OutputType,
      options: byId<HTMLInputElement>(`outputs.${i}.options`).value,
    }));
  }

  add(): void {
    this.drafts = [...this.read(), { name: '', instruction: '', type: 'text', options: '' }];
    // The new column opens, the others fold: the one being written is the one on screen.
    this.render(this.drafts.length - 1);
    byId<HTMLInputElement>(`outputs.${this.drafts.length - 1}.name`).focus();
    this.onChange();
  }

  private remove(index: number): void {
    const open = this.openIndexes().filter((i) => i !== index).map((i) => (i > index ? i - 1 : i));
    this.drafts = this.read().filter((_, i) => i !== index);
    this.render(...open);
    // Keep keyboard users in the list: focus the column that took this one's place, or the add button.
    const next = document.getElementById(`outputs.${Math.min(index, this.drafts.length - 1)}.name`) ?? document.getElementById('add-output');
    next?.focus();
    this.onChange();
  }

  private openIndexes(): number[] {
    return [...this.list.querySelectorAll<HTMLDetailsElement>(':scope > li > details')].flatMap((d, i) => (d.open ? [i] : []));
  }

  /** Draws every card, folded except those at `open`. */
  private render(...open: number[]): void {
    clear(this.list);
    this.drafts.forEach((d, i) => {
      const name = el('input', { type: 'text', value: d.name, autocomplete: 'off', placeholder: 'e.g. Category' });
      const type = el('select', {}, ...OUTPUT_TYPES.map((t) => el('option', { value: t, selected: t === d.type }, TYPE_LABELS[t])));
      const instruction = el('textarea', { rows: '2', placeholder: 'e.g. The main product category' });
      instruction.value = d.instruction;
      const options = el('input', { type: 'text', value: d.options, autocomplete: 'off', placeholder: 'budget, mid-range, premium' });
      const optionsField = field(`outputs.${i}.options`, 'Options (comma-separated)', options);
      optionsField.hidden = d.type !== 'enum';
      // A folded card shows what the column is: its name and type.
      const shownName = el('span', { class: 'name' }, d.name || 'New column');
      const shownType = el('span', { class: 'type' }, TYPE_LABELS[d.type]);
      type.addEventListener('change', () => {
        optionsField.hidden = type.value !== 'enum';
        shownType.textContent = TYPE_LABELS[type.value as OutputType];
        this.onChange();
      });
      name.addEventListener('input', () => {
        shownName.textContent = name.value.trim() || 'New column';
      });
      for (const input of [name, instruction, options]) input.addEventListener('input', this.onChange);
      const remove = el('button', { type: 'button', class: 'link', 'aria-label': `Remove output column ${i + 1}` }, 'Remove');
      remove.addEventListener('click', () => this.remove(i));
      this.list.append(
        el(
          'li',
          { class: 'output', 'aria-label': `Output column ${i + 1}` },
          el(
            'details',
            { open: open.includes(i) },
            el('summary', {}, shownName, ' · ', shownType),
            el(
              'div',
              { class: 'body' },
              el('div', { class: 'pair' }, field(`outputs.${i}.name`, 'Name', name), field(`outputs.${i}.type`, 'Type', type)),
              field(`outputs.${i}.instruction`, 'Instruction', instruction),
              optionsField,
              remove,
            ),
          ),
        ),
      );
    });
  }
}
