import { spawn, type ChildProcess } from 'node:child_process';

export interface SupervisedProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Run as this user (e.g. postgres, which refuses to run as root). */
  readonly uid?: number;
  readonly gid?: number;
  /** Signal the wrapper forwards to ask the program to stop cleanly. */
  readonly stopSignal: 'INT' | 'TERM';
  /** Receives each output line. */
  readonly onLine: (line: string) => void;
}

export interface SupervisedProcess {
  readonly pid: number;
  readonly exited: Promise<number | null>;
  hasExited(): boolean;
  /** Asks for a clean stop; kills the whole process group if it takes longer than graceMs. */
  stop(graceMs: number): Promise<void>;
  /** Kills the program and its wrapper at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
}

// The wrapper outlives nothing: it polls its parent (our Node process) and stops
// the program when the parent is gone, even if the parent died by SIGKILL and
// never ran a handler. /proc is used rather than `kill -0`, which fails across users.
const WRAPPER = `
parent="$1"; shift
stop="$1"; shift
"$@" &
child=$!
trap 'kill -s "$stop" "$child" 2>/dev/null' INT TERM
while [ -d "/proc/$parent" ] && kill -0 "$child" 2>/dev/null; do sleep 0.5; done
kill -s "$stop" "$child" 2>/dev/null
wait "$child"
`;

/** Starts a long-running server program that cannot outlive this Node process. */
export function startSupervisedProcess(options: SupervisedProcessOptions): SupervisedProcess {
  const child: ChildProcess = spawn('sh', ['-c', WRAPPER, 'supervised', String(process.pid), options.stopSignal, options.command, ...options.args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    uid: options.uid,
    gid: options.gid,
    // Own process group: a terminal's Ctrl-C reaches only our launcher, which
    // stops servers in order; and the group can be killed as one.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let finished = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      finished = true;
      resolve(code);
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    });
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${options.command}`);
  const killGroup = (): void => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  return {
    pid,
    exited,
    hasExited: () => finished,
    async stop(graceMs: number): Promise<void> {
      if (finished) return;
      child.kill('SIGTERM');
      const timer = setTimeout(killGroup, graceMs);
      await exited;
      clearTimeout(timer);
      killGroup(); // anything the program left in its group
    },
    async kill(): Promise<void> {
      if (finished) return;
      killGroup();
      await exited;
    },
  };
}

/** Keeps the last lines of a program's output for error messages. */
export class RecentLines {
  private readonly lines: string[] = [];

  constructor(private readonly capacity = 200) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.shift();
  }

  tail(count = 30): string {
    return this.lines.slice(-count).join('\n');
  }
}
