// This process's peak resident memory: the kernel's high-water mark, with a 100 ms sampler where /proc is missing.
import { readFileSync } from 'node:fs';

/** VmHWM from /proc/self/status in bytes, or undefined off Linux. */
function kernelPeakBytes(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Starts sampling at once; `peak()` is the larger of the sampled maximum and the kernel's mark. */
export function startPeakRss(): { peak(): number; stop(): void } {
  let sampled = process.memoryUsage().rss;
  // Sampling alone can miss a spike between ticks; the kernel's mark cannot, so it wins whenever it exists.
  const timer = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, 100);
  timer.unref();
  return {
    peak: () => Math.max(sampled, process.memoryUsage().rss, kernelPeakBytes() ?? 0),
    stop: () => clearInterval(timer),
  };
}

/**
 * A child process's peak resident set: its kernel high-water mark, read every 100 ms while it runs (the last read
 * before it exits holds the peak). Linux only; 0 elsewhere. Call the returned function once the child is gone.
 */
export function watchChildPeakRss(pid: number | undefined): () => number {
  let peak = 0;
  const read = (): void => {
    try {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb) peak = Math.max(peak, Number(kb) * 1024);
    } catch {
      // exited, or no /proc
    }
  };
  const timer = setInterval(read, 100);
  return () => {
    clearInterval(timer);
    return peak;
  };
}
