// Puts validation messages next to their fields (aria-invalid + aria-describedby) and focuses the first one.
import type { FieldError } from '../src/settings-model.js';

/** A field name like `outputs.2.name` maps to the element ids `outputs.2.name` and `outputs.2.name-error`. */
export function showFieldErrors(form: HTMLElement, errors: readonly FieldError[]): void {
  clearFieldErrors(form);
  let first: HTMLElement | null = null;
  for (const { field, message } of errors) {
    const slot = document.getElementById(`${field}-error`);
    if (slot) slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
    const control = document.getElementById(field) ?? document.getElementById(`${field}-field`);
    if (control) {
      // A field folded away in "More options" must be shown before it can take focus.
      control.closest('details')?.setAttribute('open', '');
      control.setAttribute('aria-invalid', 'true');
      first ??= control;
    }
  }
  first?.focus();
}

export function clearFieldErrors(form: HTMLElement): void {
  form.querySelectorAll('[aria-invalid]').forEach((n) => n.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-error').forEach((n) => {
    n.textContent = '';
  });
}
