import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release } from 'node:os';

/** The machine a benchmark ran on, as the report prints it. */
export interface MachineInfo {
  cpuModel: string;
  /** Output of `nproc`: the processors this process may use, which a container can limit below the host's. */
  processors: string;
  /** Output of `free -h`, or a note that it was not available. */
  memory: string;
  node: string;
  os: string;
}

/** Collects the machine description, falling back to Node's `os` module where a Linux tool is missing. */
export function describeMachine(): MachineInfo {
  return {
    cpuModel: readCpuModel(),
    processors: runTool('nproc', []) ?? String(availableParallelism()),
    memory: runTool('free', ['-h']) ?? 'not available (`free` is missing)',
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

function readCpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('model name'));
    const model = line?.split(':')[1]?.trim();
    if (model) return model;
  } catch {
    // Not Linux: os.cpus() below still names the model.
  }
  return cpus()[0]?.model ?? 'unknown';
}

function runTool(command: string, args: string[]): string | undefined {
  try {
    const output = execFileSync(command, args, { encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] });
    return output.trim();
  } catch {
    return undefined;
  }
}
