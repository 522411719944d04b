import { parseArgs } from 'node:util';

/** Settings of one benchmark run, from the command line. */
export interface BenchOptions {
  /** Delay the emulator adds before every Kibo response, in milliseconds. */
  latencyMs: number;
  /** Numbers of clients that each keep one request in flight. */
  concurrencies: number[];
  /** Maximum requests per cell (scenario, concurrency and batching mode). */
  maxRequests: number;
  /** Maximum seconds per cell. A cell ends at whichever limit it reaches first. */
  durationSeconds: number;
  /** Markdown file the report is written to, relative to the working directory. */
  outputPath: string;
  /** The arguments as given, for the reproduce command in the report. */
  argv: string[];
}

export const DEFAULTS = {
  latencyMs: 20,
  concurrencies: [1, 4, 16],
  maxRequests: 400,
  durationSeconds: 8,
  outputPath: 'docs/benchmarks.md',
} as const;

export const HELP = `Usage: npm run bench -- [options]

Measures the gateway with DataLoader batching on and off against the Kibo emulator on loopback.

Options:
  --latency MS          Delay the emulator adds before every Kibo response, in ms (default: ${DEFAULTS.latencyMs})
  --concurrency LIST    Comma-separated numbers of concurrent clients (default: ${DEFAULTS.concurrencies.join(',')})
  --requests N          Maximum requests per scenario, concurrency and mode (default: ${DEFAULTS.maxRequests})
  --duration S          Maximum seconds per scenario, concurrency and mode (default: ${DEFAULTS.durationSeconds})
  --output FILE         Markdown report to write (default: ${DEFAULTS.outputPath})
  --help                Show this help
`;

/** Upper bounds that keep a mistyped argument from running for hours or opening thousands of sockets. */
const MAX_LATENCY_MS = 10_000;
const MAX_CONCURRENCY = 256;
const MAX_REQUESTS = 1_000_000;
const MAX_DURATION_SECONDS = 3_600;

export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

/**
 * Parses the command line, or returns undefined when `--help` was given.
 * @throws OptionsError naming the invalid option and what it must be.
 */
export function parseBenchOptions(argv: string[]): BenchOptions | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        latency: { type: 'string' },
        concurrency: { type: 'string' },
        requests: { type: 'string' },
        duration: { type: 'string' },
        output: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new OptionsError(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
  }
  if (values.help) return undefined;

  const output = values.output ?? DEFAULTS.outputPath;
  if (output.trim() === '') throw new OptionsError('Invalid --output: expected a file path.');
  return {
    latencyMs: parseInteger('latency', values.latency, DEFAULTS.latencyMs, 0, MAX_LATENCY_MS),
    concurrencies: parseConcurrencies(values.concurrency),
    maxRequests: parseInteger('requests', values.requests, DEFAULTS.maxRequests, 1, MAX_REQUESTS),
    durationSeconds: parseInteger('duration', values.duration, DEFAULTS.durationSeconds, 1, MAX_DURATION_SECONDS),
    outputPath: output,
    argv,
  };
}

function parseInteger(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new OptionsError(`Invalid --${name} ${JSON.stringify(text)}: expected an integer from ${min} to ${max}.`);
  }
  return value;
}

function parseConcurrencies(text: string | undefined): number[] {
  if (text === undefined) return [...DEFAULTS.concurrencies];
  const parts = text.split(',').map((part) => part.trim());
  const values = parts.map((part) => parseInteger('concurrency', part, 0, 1, MAX_CONCURRENCY));
  // Sorted and without repeats, so the table reads from light to heavy load.
  return [...new Set(values)].sort((a, b) => a - b);
}
