// The sidebar page's controller: loads the tab's state, saves settings, estimates, starts, and follows the job.
import { isActive, type EstimateResult, type JobView, type RpcError, type RpcResult, type SelectionSummary } from '../src/sidebar-api.js';
import { rowsToEnrich } from '../src/messages.js';
import { showServiceAccount, wireAccessCheck } from './access-helper.js';
import { byId, show } from './dom.js';
import { askOverwrite, overwriteAllowed, overwriteConsent, renderEstimate } from './estimate-view.js';
import { JobPoller } from './job-poller.js';
import { ProgressView } from './progress-view.js';
import { callServer, messageOf } from './server.js';
import { SettingsForm } from './settings-form.js';

const status = byId('status');
const estimateButton = byId<HTMLButtonElement>('estimate');
const startButton = byId<HTMLButtonElement>('start');
let estimate: EstimateResult | null = null;
/** A notice about a job in motion ("Started: …") is cleared once that job stops, so it never outlives what it says. */
let noticeJobId: string | null = null;

const SELECTION_POLL_MS = 2000;

function say(message: string, kind: 'info' | 'error' | 'ok' = 'info', whileJobRuns: string | null = null): void {
  status.textContent = message;
  status.className = `status ${kind}`;
  noticeJobId = whileJobRuns;
}

function markSimulated(simulated: boolean): void {
  show(byId('simulated-badge'), simulated);
}

/** Starting needs a fresh estimate (nothing is spent unseen) and no job running on this tab. */
function updateStart(): void {
  const running = isActive(progress.current);
  startButton.disabled = estimate === null || running || rowsToEnrich(estimate.estimate) === 0 || !overwriteAllowed();
  startButton.textContent = estimate === null ? 'Enrich selected rows' : `Enrich ${rowsToEnrich(estimate.estimate)} rows`;
  byId('start-hint').textContent = running ? 'A job is running on this tab.' : estimate === null ? 'Estimate first: nothing is spent until you start.' : '';
}

function invalidateEstimate(): void {
  estimate = null;
  renderEstimate(null);
  updateStart();
}

const form = new SettingsForm(invalidateEstimate);

function showJob(job: JobView | null): void {
  progress.render(job);
  if (job?.simulated) markSimulated(true);
  if (job && noticeJobId === job.id && !isActive(job) && job.counts.running === 0) say('');
  updateStart();
}

function sameRanges(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((range, i) => range === b[i]);
}

/** Shows the selection; an estimate of other rows is dropped, so Enrich only ever runs the rows it showed. */
function showSelection(now: SelectionSummary): void {
  byId('selection-line').textContent = now.message;
  if (estimate && !sameRanges(estimate.selection.ranges, now.ranges)) {
    invalidateEstimate();
    say('The selection changed: estimate again before enriching.');
  }
}

/** The selection key last seen; a poll with it answers no selection (cheap) unless the user selected something else. */
let selectionSeen: string | undefined;

/** Sheets tells a sidebar nothing when the selection changes, so the sidebar asks; `full` reads it even if unchanged. */
async function refreshSelection(full = true): Promise<void> {
  const poll = await callServer('getSelection', full ? undefined : selectionSeen);
  selectionSeen = poll.key;
  if (poll.selection) showSelection(poll.selection);
}

function pollSelection(): void {
  const next = () => setTimeout(pollSelection, SELECTION_POLL_MS);
  if (document.visibilityState === 'hidden') {
    next();
    return;
  }
  refreshSelection(false).then(next, next);
}

/** Keeps polling while rows are still moving, including a paused job's last in-flight rows. */
const poller = new JobPoller(async (jobId) => {
  const answer = await callServer('getProgress', jobId);
  if (!answer.ok) {
    say(answer.error.message, 'error');
    return true;
  }
  showJob(answer.value.job);
  const job = answer.value.job;
  return job !== null && (isActive(job) || job.counts.running > 0);
});

/**
 * Runs a job action and answers its error (null when it worked); `whileRunning` marks its notice as one that holds
 * only while the job runs.
 */
async function act<T extends { readonly job: JobView }>(
  button: HTMLElement | null,
  run: () => Promise<RpcResult<T>>,
  done: (value: T) => string,
  whileRunning = false,
): Promise<RpcError | null> {
  if (button instanceof HTMLButtonElement) button.disabled = true;
  try {
    const answer = await run();
    if (!answer.ok) {
      say(answer.error.message, 'error');
      return answer.error;
    }
    say(done(answer.value), 'ok', whileRunning ? answer.value.job.id : null);
    showJob(answer.value.job);
    poller.start(answer.value.job.id);
    return null;
  } catch (error) {
    say(messageOf(error), 'error');
    return { code: 'exception', message: messageOf(error) };
  } finally {
    if (button instanceof HTMLButtonElement) button.disabled = false;
    updateStart();
  }
}

const progress = new ProgressView({
  cancel: (id) => void act(byId('cancel-job'), () => callServer('cancelJob', id), () => 'Cancelled: nothing more will be spent.'),
  retryFailed: (id) => void act(byId('retry-failed'), () => callServer('retryFailed', id), (v) => `Re-running ${v.requeued} failed rows.`, true),
  resume: (id, budget) =>
    void act(
      null,
      () => callServer('resumeJob', id, budget),
      (v) => {
        // The server saved the new budget as the tab's setting; the form follows.
        if (budget !== undefined && v.job.budgetUsd !== null) form.setBudget(v.job.budgetUsd);
        return 'Resumed.';
      },
      true,
    ),
});

async function save(): Promise<boolean> {
  const settings = form.validate();
  if (!settings) {
    say('Some settings need fixing (marked below).', 'error');
    return false;
  }
  const answer = await callServer('saveSettings', settings);
  if (!answer.ok) {
    if (answer.error.fields) form.showErrors(answer.error.fields);
    say(answer.error.message, 'error');
    return false;
  }
  return true;
}

async function runEstimate(): Promise<void> {
  estimateButton.disabled = true;
  // The old estimate goes first: a failed one must not leave it standing with Enrich enabled.
  invalidateEstimate();
  say('Estimating…');
  let estimated = false;
  try {
    if (!(await save())) return;
    const answer = await callServer('estimateSelection');
    if (!answer.ok) {
      if (answer.error.fields) form.showErrors(answer.error.fields);
      say(answer.error.message, 'error');
      return;
    }
    estimated = true;
    estimate = answer.value;
    showSelection(answer.value.selection);
    renderEstimate(answer.value);
    markSimulated(answer.value.estimate.simulated || Boolean(progress.current?.simulated));
    say('Estimate ready. Nothing has been spent yet.', 'ok');
  } catch (error) {
    say(messageOf(error), 'error');
  } finally {
    estimateButton.disabled = false;
    updateStart();
    if (!startButton.disabled) startButton.focus();
    // "N rows selected" follows the sheet whether or not the estimate worked.
    if (!estimated) await refreshSelection().catch(() => undefined);
  }
}

async function start(): Promise<void> {
  if (!estimate) return;
  const expected = { ranges: estimate.selection.ranges, overwrite: overwriteConsent() };
  const error = await act(startButton, () => callServer('startEnrichment', expected), (v) => `Started: ${v.job.counts.total} rows queued.`, true);
  if (error?.code === 'output_overwrite') {
    // The backend found filled cells the estimate did not (the sheet changed): the same question, not a bare error.
    askOverwrite(error.message);
    updateStart();
    byId('overwrite').focus();
    return;
  }
  if (error?.code === 'selection_changed') {
    invalidateEstimate();
    await refreshSelection().catch(() => undefined);
    say(error.message, 'error');
    return;
  }
  if (error) return;
  invalidateEstimate();
  // The button is at the bottom of a long panel: bring the progress into view.
  const section = byId('progress-section');
  if (!section.hidden) section.scrollIntoView({ block: 'start' });
}

async function load(): Promise<void> {
  say('Loading…');
  const state = await callServer('getSidebarState');
  show(byId('setup'), !state.configured);
  byId('setup').textContent = state.setupMessage ?? '';
  byId('sheet-name').textContent = state.sheetName;
  showSelection(state.selection);
  form.set(state.settings, state.header);
  showServiceAccount(state.serviceAccount);
  showJob(state.latestJob);
  if (state.latestJob && (isActive(state.latestJob) || state.latestJob.counts.running > 0)) poller.start(state.latestJob.id);
  if (state.latestJobError) say(state.latestJobError.message, 'error');
  else say(state.saved ? '' : 'Choose input and output columns, then estimate the selected rows.');
}

form.form.addEventListener('submit', (event) => {
  event.preventDefault();
  void save().then((ok) => ok && say('Settings saved for this tab.', 'ok'));
});
estimateButton.addEventListener('click', () => void runEstimate());
startButton.addEventListener('click', () => void start());
byId('overwrite').addEventListener('change', updateStart);
wireAccessCheck();
updateStart();
load()
  .catch((error: unknown) => say(messageOf(error), 'error'))
  .finally(() => setTimeout(pollSelection, SELECTION_POLL_MS));
