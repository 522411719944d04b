/** Messages between `bench/run.ts` and a batching-mode process (`bench/mode.ts`). */
import type { CellResult } from './cell.js';
import type { FloorFindings } from './floor.js';
import type { BenchOptions } from './options.js';

/** The mode process's only argument, serialized as JSON. */
export interface ModeRequest {
  batching: boolean;
  options: BenchOptions;
  /** When true, the process also runs the floor investigation after its cells. */
  investigateFloor: boolean;
}

/** The message a mode process sends over IPC when it has finished. */
export interface ModeMessage {
  type: 'done';
  cells: CellResult[];
  floor: FloorFindings | undefined;
}

/** Warm-up per scenario: enough requests to fetch the token and tenant and let V8 optimize the hot paths. */
export const WARM_UP = { requests: 60, concurrency: 4, durationMs: 15_000 } as const;
