/**
 * A process that tries to take a PGlite data folder's lock at an agreed instant, for the race
 * in test/store.test.ts: prints `held` (and keeps it a while) or `refused`.
 */
import { DataDirLockedError, lockDataDir } from '../../src/store/data-dir-lock.js';

const [dataDir, startAt, holdMs] = process.argv.slice(2);
const epochMs = () => performance.timeOrigin + performance.now();
while (epochMs() < Number(startAt)) {
  // Spin: a timer would let the contenders start a few milliseconds apart.
}
try {
  const release = await lockDataDir(dataDir!);
  process.stdout.write('held\n');
  await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
  release();
} catch (error) {
  if (!(error instanceof DataDirLockedError)) throw error;
  process.stdout.write('refused\n');
}
