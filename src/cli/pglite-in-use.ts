import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { CliError } from './cli-error.ts';

/**
 * Processes (other than this one) holding a file open inside `folder`, read from /proc; undefined
 * where there is no /proc to read (macOS, Windows). Processes of other users are not visible
 * unless running as root.
 */
export function findProcessesUsing(folder: string): number[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const prefix = `${path.resolve(folder)}${path.sep}`;
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        return readlinkSync(`/proc/${entry}/fd/${fd}`).startsWith(prefix);
      } catch {
        return false;
      }
    });
    if (holds) pids.push(Number(entry));
  }
  return pids;
}

/**
 * PGlite 0.5 takes no lock on its folder, and two processes writing one folder corrupt it. While
 * open it keeps `postmaster.pid` there (with a placeholder pid) and removes it on a clean close; a
 * crash leaves it behind, and PGlite then opens the folder anyway. So the file alone is not proof:
 * where /proc exists we look for a process with the folder's files open; elsewhere the file decides.
 * Throws CliError naming `advice` when another process has the folder.
 */
export function assertPgliteFolderFree(folder: string, advice: string): void {
  const pidFile = path.join(folder, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pids = findProcessesUsing(folder);
  if (pids === undefined) {
    throw new CliError(
      `the embedded database in ${folder} is open in another process, or was not closed cleanly (${pidFile} exists): ` +
        `${advice}. If no Attest process is running, start and stop the server once to close it cleanly.`,
    );
  }
  if (pids.length > 0) {
    throw new CliError(
      `the embedded database in ${folder} is in use by another process (pid ${pids.join(', ')}): ${advice}.`,
    );
  }
}
