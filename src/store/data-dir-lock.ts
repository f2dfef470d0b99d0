import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/**
 * PGlite is a single-process database: two processes writing one data folder corrupt it. A
 * lock file holding the owner's pid is taken with O_EXCL before PGlite opens the folder. A
 * lock left by a process that no longer runs (killed with SIGKILL, say) is taken over at
 * once: unlike an mtime-based lock (proper-lockfile), a restart after a crash need not wait
 * for the lock to go stale.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'creditgraph.lock');
  const owner = `${process.pid}@${hostname()}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, owner);
      closeSync(fd);
      return () => {
        if (readLock(path) === owner) rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(path);
      if (holder && isAlive(holder)) {
        throw new DataDirLockedError(
          `the data folder ${dataDir} is in use by process ${holder}; PGlite serves one process at a time. ` +
            'Stop that process, use another DATA_DIR, or point HUB_URL at the running hub so the CLI goes through its API.',
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirLockedError(`could not take the lock on ${dataDir}: another process keeps taking it`);
}

function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function isAlive(owner: string): boolean {
  const [pid, host] = owner.split('@');
  // A lock from another host (a shared volume) cannot be probed: treat it as held.
  if (host !== hostname()) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
