import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A POSIX sh wrapper that ties a long-running program to the Node process that
 * started it. Node holds the only write end of the wrapper's stdin; the kernel
 * closes it when Node exits in any way, SIGKILL included, and Node closes it
 * itself to ask for a stop. So one path serves both: on EOF the watchdog sends
 * SIGTERM, then SIGKILL after the grace period. Unlike polling the parent pid,
 * this cannot be fooled by a reused pid or a parent left as a zombie.
 * The stop signal is the program's own "clean and quick" one (TERM for Kafka,
 * INT, the "fast" shutdown, for Postgres).
 *
 * Details that matter:
 * - sh gives background jobs /dev/null as stdin, so the watchdog reads a copy (fd 3).
 * - The program gets neither fd 3 nor fd 4, or it would keep the pipes open.
 * - fd 4 reports the program's pid, so kill() can SIGKILL exactly the program.
 * - After the program exits, `kill -TERM 0` ends the watchdog (the whole process
 *   group, which Node made with `detached`); the wrapper ignores that TERM itself.
 */
export const GUARD_SCRIPT = `grace="$1"; shift
stop="$1"; shift
exec 3<&0
"$@" </dev/null 3<&- 4>&- &
child=$!
echo "$child" 2>/dev/null >&4; exec 4>&-
{ cat <&3 >/dev/null; kill -s "$stop" "$child" 2>/dev/null; sleep "$grace"; kill -KILL "$child" 2>/dev/null; } &
exec 3<&-
wait "$child"
status=$?
trap '' TERM
kill -TERM 0 2>/dev/null
exit "$status"
`;

/** Arguments for `sh` that run `command args` under the guard. */
export function guardArgs(graceSeconds: number, command: string, args: readonly string[], stopSignal: StopSignal = 'TERM'): string[] {
  return ['-c', GUARD_SCRIPT, 'local-infra-guard', String(Math.max(1, Math.round(graceSeconds))), stopSignal, command, ...args];
}

export type StopSignal = 'TERM' | 'INT';

export interface ProcessExit {
  /** Exit code of the program (143 after SIGTERM and 137 after SIGKILL, as the JVM and sh report them). */
  readonly code: number | null;
  /** Set only when the wrapper itself died by a signal. */
  readonly signal: NodeJS.Signals | null;
}

export interface GuardedProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** After a stop request (or Node's death), how long the stop signal may take before SIGKILL. */
  readonly graceSeconds: number;
  /** Default TERM. */
  readonly stopSignal?: StopSignal;
  /** Run as this user and group (Postgres refuses to run as root). */
  readonly uid?: number;
  readonly gid?: number;
  /** Each line the program writes to stdout or stderr. */
  readonly onLine: (line: string) => void;
}

export interface GuardedProcess {
  readonly exited: Promise<ProcessExit>;
  hasExited(): boolean;
  /** Graceful: the stop signal, SIGKILL after the grace period. Idempotent. */
  stop(): Promise<ProcessExit>;
  /** SIGKILL now. Resolves once the program has been reaped. */
  kill(): Promise<ProcessExit>;
}

/** Starts a program that cannot outlive this Node process. */
export function startGuardedProcess(options: GuardedProcessOptions): GuardedProcess {
  const child: ChildProcess = spawn('sh', guardArgs(options.graceSeconds, options.command, options.args, options.stopSignal), {
    cwd: options.cwd,
    env: options.env ?? process.env,
    uid: options.uid,
    gid: options.gid,
    // Own process group and session: a terminal's Ctrl-C reaches only Node, which
    // stops the program in order, and stragglers can be killed as one group.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe', 'ignore', 'pipe'],
  });
  // Writing is never done; closing is. EPIPE after the wrapper died is expected.
  child.stdin?.on('error', () => undefined);

  let programPid: number | undefined;
  let pidReported: () => void = () => undefined;
  // The wrapper reports the program's pid as soon as it has started it; on a busy machine that
  // can come a moment after the program's own first output.
  const pidKnown = new Promise<void>((resolve) => (pidReported = resolve));
  child.stdio[4]?.on('data', (chunk: Buffer) => {
    programPid ??= Number.parseInt(chunk.toString('utf8'), 10) || undefined;
    pidReported();
  });
  for (const stream of [child.stdout, child.stderr]) if (stream) forEachLine(stream, options.onLine);

  const killGroup = (): void => {
    if (child.pid !== undefined) signal(-child.pid, 'SIGKILL');
  };
  let finished = false;
  let backstop: NodeJS.Timeout | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    let exit: ProcessExit = { code: null, signal: null };
    child.once('exit', (code, signalName) => {
      exit = { code, signal: signalName };
      killGroup(); // whatever the program left in its group
    });
    // 'close' comes after the output pipes are drained, so error messages see the last lines.
    const settle = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(backstop);
      resolve(exit);
    };
    child.once('close', settle);
    child.once('error', settle);
  });

  const armBackstop = (ms: number): void => {
    // The wrapper escalates by itself; this only covers a wrapper that is stuck or gone.
    backstop ??= setTimeout(killGroup, ms);
  };
  return {
    exited,
    hasExited: () => finished,
    stop() {
      if (!finished) {
        child.stdin?.destroy();
        armBackstop((options.graceSeconds + 5) * 1000);
      }
      return exited;
    },
    async kill() {
      if (!finished) {
        // Kill only the program, so the wrapper reaps it before we hear it exited. Its pid may
        // still be on its way: wait for it briefly rather than take the whole group down.
        await Promise.race([pidKnown, exited, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
        if (!finished && (programPid === undefined || !signal(programPid, 'SIGKILL'))) killGroup();
        armBackstop(5000);
      }
      return exited;
    },
  };
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false; // already gone
  }
}

function forEachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
    pending = '';
  });
}

/** The last lines of a program's output, kept for error messages. */
export class OutputTail {
  private readonly lines: string[] = [];

  constructor(private readonly capacity = 200) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.shift();
  }

  text(count = this.capacity): string {
    return this.lines.slice(-count).join('\n');
  }
}
