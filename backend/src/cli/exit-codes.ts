// The CLI's exit codes, one meaning each.
export const EXIT = {
  /** The job completed (failed rows are listed in the summary). */
  completed: 0,
  /** The job paused: budget, auth, quota or failure rate; the summary says what to do next. */
  paused: 1,
  /** Bad usage or input; nothing was written. */
  usage: 2,
  /** Interrupted (Ctrl-C; state is saved and `rowfill resume` continues) or cancelled from another terminal. */
  interrupted: 130,
  /** A bug or an environment failure; the message says what. */
  internal: 3,
} as const;
