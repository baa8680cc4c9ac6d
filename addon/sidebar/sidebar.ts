// The sidebar page's controller: loads the tab's state, saves settings, estimates, starts, and follows the job.
import { isActive, type EstimateResult, type JobView, type RpcResult } from '../src/sidebar-api.js';
import { rowsToEnrich } from '../src/messages.js';
import { showServiceAccount, wireAccessCheck } from './access-helper.js';
import { byId, show } from './dom.js';
import { renderEstimate } from './estimate-view.js';
import { JobPoller } from './job-poller.js';
import { ProgressView } from './progress-view.js';
import { callServer, messageOf } from './server.js';
import { SettingsForm } from './settings-form.js';

const status = byId('status');
const estimateButton = byId<HTMLButtonElement>('estimate');
const startButton = byId<HTMLButtonElement>('start');
let estimate: EstimateResult | null = null;

function say(message: string, kind: 'info' | 'error' | 'ok' = 'info'): void {
  status.textContent = message;
  status.className = `status ${kind}`;
}

function markSimulated(simulated: boolean): void {
  show(byId('simulated-badge'), simulated);
}

/** Starting needs a fresh estimate (nothing is spent unseen) and no job running on this tab. */
function updateStart(): void {
  const running = isActive(progress.current);
  startButton.disabled = estimate === null || running || rowsToEnrich(estimate.estimate) === 0;
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
  updateStart();
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

async function act<T extends { readonly job: JobView }>(button: HTMLElement | null, run: () => Promise<RpcResult<T>>, done: (value: T) => string): Promise<void> {
  if (button instanceof HTMLButtonElement) button.disabled = true;
  try {
    const answer = await run();
    if (!answer.ok) {
      say(answer.error.message, 'error');
      return;
    }
    showJob(answer.value.job);
    poller.start(answer.value.job.id);
    say(done(answer.value), 'ok');
  } catch (error) {
    say(messageOf(error), 'error');
  } finally {
    if (button instanceof HTMLButtonElement) button.disabled = false;
    updateStart();
  }
}

const progress = new ProgressView({
  cancel: (id) => void act(byId('cancel-job'), () => callServer('cancelJob', id), () => 'Cancelled: nothing more will be spent.'),
  retryFailed: (id) => void act(byId('retry-failed'), () => callServer('retryFailed', id), (v) => `Re-running ${v.requeued} failed rows.`),
  resume: (id, budget) => void act(null, () => callServer('resumeJob', id, budget), () => 'Resumed.'),
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
  say('Estimating…');
  try {
    if (!(await save())) return;
    const answer = await callServer('estimateSelection');
    if (!answer.ok) {
      if (answer.error.fields) form.showErrors(answer.error.fields);
      say(answer.error.message, 'error');
      return;
    }
    estimate = answer.value;
    byId('selection-line').textContent = answer.value.selection.message;
    renderEstimate(answer.value);
    markSimulated(answer.value.estimate.simulated || Boolean(progress.current?.simulated));
    say('Estimate ready. Nothing has been spent yet.', 'ok');
  } catch (error) {
    say(messageOf(error), 'error');
  } finally {
    estimateButton.disabled = false;
    updateStart();
    if (!startButton.disabled) startButton.focus();
  }
}

async function start(): Promise<void> {
  await act(startButton, () => callServer('startEnrichment'), (v) => `Started: ${v.job.counts.total} rows queued.`);
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
  byId('selection-line').textContent = state.selection.message;
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
wireAccessCheck();
updateStart();
load().catch((error: unknown) => say(messageOf(error), 'error'));
