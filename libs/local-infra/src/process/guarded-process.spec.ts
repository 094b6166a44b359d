import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { guardArgs, OutputTail, startGuardedProcess } from './guarded-process.js';

// These run real `sh` processes (no Java, no Kafka): the guard is shell code, so only
// running it shows that it works.

/** Running, i.e. neither gone nor a zombie waiting to be reaped. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (condition()) return true;
  }
  return condition();
}

/** Starts `script` under the guard; the script's first output line must be its pid. */
async function startScript(script: string, graceSeconds = 5) {
  const lines: string[] = [];
  let reportPid: (pid: number) => void = () => undefined;
  const pid = new Promise<number>((resolve) => (reportPid = resolve));
  const guarded = startGuardedProcess({
    command: 'sh',
    args: ['-c', script],
    graceSeconds,
    onLine: (line) => {
      if (lines.push(line) === 1) reportPid(Number(line));
    },
  });
  return { guarded, lines, pid: await pid };
}

describe('startGuardedProcess', () => {
  it('passes on output lines and the exit code of a program that ends by itself', async () => {
    const { guarded, lines } = await startScript('echo $$; echo to-stdout; echo to-stderr >&2; exit 3');
    expect(await guarded.exited).toEqual({ code: 3, signal: null });
    expect(lines).toEqual(expect.arrayContaining(['to-stdout', 'to-stderr']));
    expect(guarded.hasExited()).toBe(true);
  });

  it('stop() sends SIGTERM and resolves once the program is gone; calling it again is harmless', async () => {
    const { guarded, pid } = await startScript('echo $$; exec sleep 30');
    expect(isRunning(pid)).toBe(true);
    const exit = await guarded.stop();
    expect(exit.code).toBe(143); // 128 + SIGTERM
    expect(isRunning(pid)).toBe(false);
    expect(await guarded.stop()).toEqual(exit);
  });

  it('stop() escalates to SIGKILL when the program ignores SIGTERM past the grace period', async () => {
    const { guarded, pid } = await startScript('trap "" TERM; echo $$; while :; do sleep 0.1; done', 1);
    const started = Date.now();
    expect((await guarded.stop()).code).toBe(137); // 128 + SIGKILL
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(isRunning(pid)).toBe(false);
  });

  it('kill() ends the program at once with SIGKILL', async () => {
    const { guarded, pid } = await startScript('trap "" TERM; echo $$; exec sleep 30');
    const started = Date.now();
    expect((await guarded.kill()).code).toBe(137);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(isRunning(pid)).toBe(false);
  });

  it('ends the program when the Node process that started it dies by SIGKILL', async () => {
    // A separate Node process spawns the guard exactly as startGuardedProcess does, prints
    // the program's pid, and is then killed without a chance to clean up.
    const parentCode = `
      const { spawn } = await import('node:child_process');
      const child = spawn('sh', JSON.parse(process.env.GUARD_ARGS), { detached: true, stdio: ['pipe', 'ignore', 'ignore', 'ignore', 'pipe'] });
      child.stdio[4].on('data', (chunk) => console.log(String(chunk).trim()));
    `;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', parentCode], {
      env: { ...process.env, GUARD_ARGS: JSON.stringify(guardArgs(5, 'sleep', ['60'])) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))));
    expect(isRunning(pid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await waitUntil(() => !isRunning(pid), 3000)).toBe(true);
  });
});

describe('OutputTail', () => {
  it('keeps only the newest lines', () => {
    const tail = new OutputTail(3);
    for (const line of ['a', 'b', 'c', 'd']) tail.push(line);
    expect(tail.text()).toBe('b\nc\nd');
    expect(tail.text(1)).toBe('d');
  });
});
