// Polls a job every ~2 s while it is active, one request at a time, and stops when it settles.

export const POLL_INTERVAL_MS = 2000;

export class JobPoller {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private jobId: string | null = null;

  constructor(private readonly tick: (jobId: string) => Promise<boolean>) {}

  /** Polls `jobId` until `tick` answers false (the job is no longer active). */
  start(jobId: string): void {
    this.stop();
    this.jobId = jobId;
    this.schedule();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.jobId = null;
  }

  private schedule(): void {
    const id = this.jobId;
    if (id === null) return;
    // setTimeout after each answer, not setInterval: a slow backend never gets overlapping polls.
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick(id).then(
        (again) => {
          if (again && this.jobId === id) this.schedule();
        },
        () => {
          if (this.jobId === id) this.schedule();
        },
      );
    }, POLL_INTERVAL_MS);
  }
}
