// Bytes this process has caused to be written to disk (/proc/self/io): how much I/O a run costs per row.
import { readFileSync } from 'node:fs';

/** write_bytes so far, or undefined off Linux. */
export function diskWriteBytes(): number | undefined {
  try {
    const match = /^write_bytes:\s+(\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
