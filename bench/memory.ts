import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Samples this process's resident set size on a timer and keeps the highest value. */
export class RssSampler {
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;

  /** Starts sampling every `intervalMs` on a timer that does not keep the process alive. */
  start(intervalMs = 20): void {
    this.peak = process.memoryUsage.rss();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Stops sampling and returns the peak in bytes, including one last sample. */
  stop(): number {
    clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return this.peak;
  }

  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }
}

let collect: (() => void) | undefined | null;

/**
 * Runs a full garbage collection when V8 allows it, so each cell starts from a similar heap and its peak RSS
 * carries less garbage from the cell before. `npm run bench` starts Node without `--expose-gc`, so the flag is
 * set at run time and the `gc` function is read from a fresh context, where V8 installs it.
 * Returns false when no collection ran.
 */
export function collectGarbage(): boolean {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
  return collect !== null;
}
