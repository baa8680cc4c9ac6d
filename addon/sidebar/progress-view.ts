// The progress panel: bar, counts, spend, speed, ETA, errors by class, and the buttons a job's state allows.
import { money } from '../src/format.js';
import type { JobView } from '../src/sidebar-api.js';
import { byId, clear, el, fillStats, show } from './dom.js';
import { progressModel } from './progress-model.js';

export interface ProgressActions {
  cancel(jobId: string): void;
  retryFailed(jobId: string): void;
  resume(jobId: string, budgetUsd: number | undefined): void;
}

export class ProgressView {
  private job: JobView | null = null;
  private readonly section = byId('progress-section');
  private readonly bar = byId<HTMLProgressElement>('job-bar');
  private readonly resumeBudget = byId<HTMLInputElement>('resume-budget');

  constructor(actions: ProgressActions) {
    byId('cancel-job').addEventListener('click', () => this.job && actions.cancel(this.job.id));
    byId('retry-failed').addEventListener('click', () => this.job && actions.retryFailed(this.job.id));
    byId<HTMLFormElement>('resume-form').addEventListener('submit', (event) => {
      event.preventDefault();
      if (!this.job) return;
      const raw = this.resumeBudget.value.trim();
      const budget = raw === '' ? undefined : Number(raw);
      const committed = this.job.spentUsd + this.job.reservedUsd;
      const error = byId('resume-budget-error');
      if (budget !== undefined && !(Number.isFinite(budget) && budget > committed)) {
        error.textContent = `Enter more than the ${money(committed)} already spent or reserved.`;
        this.resumeBudget.setAttribute('aria-invalid', 'true');
        this.resumeBudget.focus();
        return;
      }
      error.textContent = '';
      this.resumeBudget.removeAttribute('aria-invalid');
      actions.resume(this.job.id, budget);
    });
  }

  get current(): JobView | null {
    return this.job;
  }

  render(job: JobView | null): void {
    const previous = this.job;
    this.job = job;
    show(this.section, job !== null);
    if (!job) return;
    const model = progressModel(job);
    byId('job-state').textContent = model.headline;
    this.bar.value = model.percent;
    byId('job-percent').textContent = `${model.percent}% finished`;
    fillStats(byId('job-stats'), model.stats);
    const errors = byId('job-errors-list');
    clear(errors);
    for (const [errorClass, count] of model.errors) errors.append(el('li', {}, `${errorClass.replace(/_/g, ' ')}: ${count}`));
    show(byId('job-errors'), model.errors.length > 0);
    show(byId('cancel-job'), model.canCancel);
    show(byId('retry-failed'), model.canRetryFailed);
    show(byId('resume-form'), model.canResume);
    // Only prefill when the job first pauses, so a budget the user is typing is never overwritten by a poll.
    if (model.canResume && (previous?.id !== job.id || previous.status !== 'paused')) {
      this.resumeBudget.value = model.suggestedBudget === null ? '' : model.suggestedBudget.toFixed(2);
    }
  }
}
