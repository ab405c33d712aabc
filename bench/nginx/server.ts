/**
 * nginx as a yardstick for the benches: found (or installed from Debian's package as root), started in the
 * foreground as a child process with one worker and a generated config, and stopped with it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLATE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'nginx.conf');
const CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];

function findNginx(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const candidate of [...dirs.map((dir) => path.join(dir, 'nginx')), ...CANDIDATES]) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there; try the next one
    }
  }
  return undefined;
}

/**
 * The nginx binary. When it is missing and this process runs as root on a Debian-like system, installs
 * the `nginx-light` package (its service is not started: Debian's policy-rc.d or the missing init keeps
 * it down, and this bench never uses it). Throws with what to do when nginx can't be had.
 */
export function ensureNginx(log: (line: string) => void): string {
  const found = findNginx();
  if (found) return found;
  const howTo =
    'Install it with `apt-get install -y nginx-light` (or your system’s nginx package) and rerun.';
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) {
    throw new Error(
      `nginx is not installed, and this bench can only install it as root with apt-get. ${howTo}`,
    );
  }
  log('nginx is not installed: installing the Debian package nginx-light (apt-get) …');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args: string[]) => spawnSync('apt-get', args, { env, encoding: 'utf8' });
  let result = run(['install', '-y', '-qq', 'nginx-light']);
  if (result.status !== 0) {
    // A fresh machine may not have the package lists yet.
    run(['update', '-qq']);
    result = run(['install', '-y', '-qq', 'nginx-light']);
  }
  const installed = findNginx();
  if (result.status !== 0 || !installed) {
    const why = (result.stderr || result.stdout || '').trim().split('\n').slice(-3).join('\n');
    throw new Error(`Installing nginx-light failed:\n${why}\n${howTo}`);
  }
  return installed;
}

/** A port that was free a moment ago on 127.0.0.1 (nginx binds it itself; see the retry in startNginx). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export type Nginx = { url: string; pid: number; stop(): Promise<void> };

/**
 * Starts nginx in the foreground (`daemon off` in the config) serving `root` over 127.0.0.1, with its pid,
 * temp folders and config in `workDir`. Resolves once it accepts connections; rejects with nginx's own
 * error output if it exits first.
 */
export async function startNginx(
  binary: string,
  options: { root: string; workDir: string; gzipStatic: boolean },
): Promise<Nginx> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    try {
      return await launch(binary, port, options);
    } catch (error) {
      lastError = error as Error;
      // Someone took the port between the probe and nginx's bind: try another one.
      if (!/Address already in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error('nginx did not start');
}

async function launch(
  binary: string,
  port: number,
  options: { root: string; workDir: string; gzipStatic: boolean },
): Promise<Nginx> {
  mkdirSync(options.workDir, { recursive: true });
  const config = readFileSync(TEMPLATE, 'utf8')
    // As root the master hands the worker to an unprivileged user, which can read the world-readable page.
    .replaceAll('{{USER}}', process.getuid?.() === 0 ? 'user nobody nogroup;' : '')
    .replaceAll('{{PREFIX}}', options.workDir)
    .replaceAll('{{ROOT}}', options.root)
    .replaceAll('{{PORT}}', String(port))
    .replaceAll('{{GZIP_STATIC}}', options.gzipStatic ? 'on' : 'off');
  const configFile = path.join(options.workDir, 'nginx.conf');
  writeFileSync(configFile, config);

  const child = spawn(binary, ['-p', options.workDir, '-c', configFile, '-e', 'stderr'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });

  const deadline = Date.now() + 5_000;
  while (exitCode === undefined && Date.now() < deadline) {
    if (await canConnect(port)) {
      return { url: `http://127.0.0.1:${port}`, pid: child.pid ?? 0, stop: () => stop(child, exited) };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop(child, exited);
  throw new Error(
    `nginx ${exitCode === undefined ? 'did not accept connections within 5 s' : `exited with ${exitCode}`}` +
      `${stderr.trim() ? `:\n${stderr.trim()}` : ''}`,
  );
}

/** Fast shutdown (SIGTERM stops the master and its worker); SIGKILL if it hasn't gone after 3 s. */
async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}
