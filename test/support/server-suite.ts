/**
 * A suite that needs a PostgreSQL server of its own making (DATABASE_URL, as in CI): without one
 * it is skipped, and says so and how to run it, so a green run on a laptop is not mistaken for
 * one that ran it.
 */
export function describeOnServer(name: string, suite: () => void): void {
  if (process.env.DATABASE_URL) {
    describe(name, suite);
    return;
  }
  console.warn(`skipped "${name}": a PostgreSQL-server suite; run it with DATABASE_URL=postgres://user:password@localhost:5432/postgres npm test`);
  describe.skip(name, suite);
}
