import * as fs from 'node:fs';

export interface ChildInfo {
  pid: number;
  command: string;
}

/** Live child processes of this process (Linux `/proc`); zombies count as gone. */
export function childProcesses(): ChildInfo[] {
  return childrenOf(process.pid);
}

/** Live child processes of process `parent` (Linux `/proc`); zombies count as gone. */
export function childrenOf(parent: number): ChildInfo[] {
  const out: ChildInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const command = stat.slice(stat.indexOf('(') + 1, close);
    const [state, ppid] = stat.slice(close + 2).split(' ');
    if (Number(ppid) === parent && state !== 'Z') out.push({ pid: Number(entry), command });
  }
  return out;
}

/** Whether a process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Polls until `predicate` holds or `ms` pass; resolves with its last value. */
export async function waitFor(predicate: () => boolean, ms: number, stepMs = 5): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (predicate()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

export const canInspectProcesses = process.platform === 'linux' && fs.existsSync('/proc/self/stat');

/** Child processes the tools start (the test runner has its own, e.g. esbuild under tsx). */
export function toolChildren(): ChildInfo[] {
  return childProcesses().filter((c) => c.command === 'rg' || c.command === 'git');
}

/** The pid of a child process of this one running `command`, once one shows within `ms`; undefined if none did. */
export async function childStarted(command: string, ms = 10_000): Promise<number | undefined> {
  let pid: number | undefined;
  await waitFor(() => (pid = childProcesses().find((c) => c.command === command)?.pid) !== undefined, ms, 1);
  return pid;
}
