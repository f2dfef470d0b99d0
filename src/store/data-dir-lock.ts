import { createHash, randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/**
 * PGlite is a single-process database: two processes writing one data folder corrupt it, so one
 * process holds the folder at a time.
 *
 * On Linux the lock is an abstract unix socket named after the folder: binding it is atomic, the
 * kernel lets one process hold it, and it is gone when that process is, however it ended
 * (SIGKILL too). No stale lock is ever left, and none is ever broken, so two processes can never
 * both believe they hold it — what a lock file checked, then removed when it looks stale, cannot
 * promise (two of three processes starting together took such a lock at once).
 *
 * The lock file (`creditgraph.lock`: pid, host and the process's start time) says who holds the
 * folder, and guards it where the socket cannot: from another host or container on a shared
 * volume. It is created whole (written aside, then linked into place); one left by a process that
 * no longer runs, or whose pid now belongs to another process (a different start time), is
 * replaced at once: a restart after a crash need not wait for a lock to go stale.
 */
export async function lockDataDir(dataDir: string): Promise<() => void> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'creditgraph.lock');
  const socket = process.platform === 'linux' ? await bindFolderSocket(realpathSync(dataDir), () => refusal(dataDir, readLock(path) ?? 'unknown')) : undefined;
  try {
    const owner = `${process.pid}@${hostname()}#${startTime(process.pid) ?? ''}`;
    takeLockFile(path, owner, dataDir, socket !== undefined);
    return () => {
      if (readLock(path) === owner) rmSync(path, { force: true });
      socket?.close();
    };
  } catch (error) {
    socket?.close();
    throw error;
  }
}

function refusal(dataDir: string, holder: string): DataDirLockedError {
  return new DataDirLockedError(
    `the data folder ${dataDir} is in use by process ${holder.split('#')[0]}; PGlite serves one process at a time. ` +
      'Stop that process, use another DATA_DIR, or point HUB_URL at the running hub so the CLI goes through its API.',
  );
}

/** Binds the folder's abstract socket, or throws `locked()` when another process holds it. */
function bindFolderSocket(folder: string, locked: () => Error): Promise<Server> {
  const name = `\0creditgraph-data-dir-${createHash('sha256').update(folder).digest('hex').slice(0, 40)}`;
  return new Promise((resolve, reject) => {
    const server = createServer((connection) => connection.destroy());
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? locked() : error));
    server.listen({ path: name, exclusive: true }, () => {
      // The lock must not keep the process alive.
      server.unref();
      resolve(server);
    });
  });
}

/**
 * Puts the lock file in place. With the folder's socket held, no process on this host contends,
 * so a file whose holder is gone is simply replaced; without it (other systems), a stale file is
 * moved aside under a name of our own first, and only the process whose move succeeded retries.
 */
function takeLockFile(path: string, owner: string, dataDir: string, exclusive: boolean): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    const written = `${path}.${randomUUID()}`;
    writeFileSync(written, owner);
    try {
      linkSync(written, path);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(path);
      if (holder && isAlive(holder)) throw refusal(dataDir, holder);
      if (exclusive) {
        renameSync(written, path);
        return;
      }
      try {
        renameSync(path, `${path}.stale.${randomUUID()}`);
      } catch (moved) {
        if ((moved as NodeJS.ErrnoException).code !== 'ENOENT') throw moved;
      }
    } finally {
      rmSync(written, { force: true });
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

/** When the process started, in clock ticks since boot (Linux's /proc), or undefined where unknown. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command's name in parentheses (which may hold spaces): state is field 3, start time 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(owner: string): boolean {
  const [who, started] = owner.split('#');
  const [pid, host] = (who ?? '').split('@');
  // A lock from another host (a shared volume) cannot be probed: treat it as held.
  if (host !== hostname()) return true;
  try {
    process.kill(Number(pid), 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // The pid runs, but is it still the holder? Not if it started at another time.
  const now = startTime(Number(pid));
  return !started || now === undefined || now === started;
}
