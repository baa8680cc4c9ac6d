// One re-armable timer on the Clock port, so the dispatch loop sleeps until the earliest thing it waits for.
import type { Clock } from '../../ports/clock.js';

export class WakeTimer {
  readonly #clock: Clock;
  readonly #onWake: () => void;
  #controller: AbortController | undefined;
  #wakeAt = Number.POSITIVE_INFINITY;

  constructor(clock: Clock, onWake: () => void) {
    this.#clock = clock;
    this.#onWake = onWake;
  }

  /** Wakes after `ms`, unless already due to wake sooner: the loop only ever needs the earliest wake-up. */
  arm(ms: number): void {
    const wakeAt = this.#clock.now() + ms;
    if (this.#controller && this.#wakeAt <= wakeAt) return;
    this.cancel();
    const controller = new AbortController();
    this.#controller = controller;
    this.#wakeAt = wakeAt;
    this.#clock.sleep(ms, controller.signal).then(
      () => {
        if (this.#controller !== controller) return;
        this.#controller = undefined;
        this.#wakeAt = Number.POSITIVE_INFINITY;
        this.#onWake();
      },
      () => {
        // Aborted by cancel() or a sooner arm(): whoever aborted it owns the next wake-up.
      },
    );
  }

  cancel(): void {
    this.#controller?.abort();
    this.#controller = undefined;
    this.#wakeAt = Number.POSITIVE_INFINITY;
  }
}
