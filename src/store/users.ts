import type { Db } from './database.js';

export interface UserRecord {
  name: string;
  roles: string[];
}

/** Records a user seen at `at` with the roles they hold now; their first sighting is kept. */
export async function recordUser(db: Db, user: UserRecord, at: Date): Promise<void> {
  await db
    .insertInto('hubUser')
    .values({ name: user.name, roles: user.roles, firstSeenAt: at, lastSeenAt: at })
    .onConflict((conflict) => conflict.column('name').doUpdateSet((eb) => ({ roles: eb.ref('excluded.roles'), lastSeenAt: eb.ref('excluded.lastSeenAt') })))
    .execute();
}

export async function findUser(db: Db, name: string): Promise<UserRecord | undefined> {
  return db.selectFrom('hubUser').select(['name', 'roles']).where('name', '=', name).executeTakeFirst();
}
