import { spawn } from 'node:child_process';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { speedupsSvg } from '../report/benchCharts';
import { benchMarkdown } from '../report/benchMarkdown';
import type { BenchReport } from '../report/benchReport';

export interface ProfilesApartOptions {
  /** The benchmark's entry script, run once per profile. */
  script: string;
  profiles: readonly string[];
  /** Options every pass gets besides its profile and output folder (--only, --modes, --quick). */
  args: readonly string[];
  outDir: string;
  signal: AbortSignal;
  log: (line: string) => void;
}

/**
 * Runs each profile's pass of the question suite in a process of its own, side by side, and merges their reports, so
 * the race takes as long as its slowest profile rather than the sum. Within a pass the modes still take turns
 * question by question, so what the other process costs the machine falls on all of them alike; and each pass has
 * an event loop of its own, so one profile's work never delays the other's dispatch.
 */
export async function runProfilesApart(options: ProfilesApartOptions): Promise<BenchReport> {
  const dirs = options.profiles.map((name) => path.join(options.outDir, `profile-${name}`));
  try {
    await Promise.all(options.profiles.map((name, i) => runPass(options, name, dirs[i]!)));
    const reports = await Promise.all(dirs.map(async (dir) => JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as BenchReport));
    const report: BenchReport = {
      ...reports[0]!,
      generatedAt: new Date().toISOString(),
      profiles: reports.flatMap((r) => r.profiles),
      runs: reports.flatMap((r) => r.runs),
    };
    await writeFile(path.join(options.outDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(path.join(options.outDir, 'results.md'), benchMarkdown(report));
    await writeFile(path.join(options.outDir, 'speedups.svg'), speedupsSvg(report));
    for (const [i, name] of options.profiles.entries()) {
      await copyFile(path.join(dirs[i]!, `timeline-${name}.svg`), path.join(options.outDir, `timeline-${name}.svg`));
    }
    return report;
  } finally {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

function runPass(options: ProfilesApartOptions, name: string, dir: string): Promise<void> {
  const args = [options.script, '--sections', 'questions', '--profiles', name, '--one-process', '--out', dir, ...options.args];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const stop = () => child.kill('SIGINT');
  options.signal.addEventListener('abort', stop, { once: true });
  let pending = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    for (const line of lines) options.log(`[${name}] ${line}`);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      options.signal.removeEventListener('abort', stop);
      if (pending) options.log(`[${name}] ${pending}`);
      if (code === 0) resolve();
      else reject(new Error(`the ${name} pass ended with ${signal ?? `exit code ${code}`}`));
    });
  });
}
