import type { Clock } from '../common/clock.js';
import { InputError } from '../common/errors.js';
import type { Db } from '../store/database.js';
import { findUser, recordUser } from '../store/users.js';
import { userArgument } from './identity.js';
import type { Role, Viewer } from './roles.js';

/**
 * The people work may be assigned to: every user whose token the hub has verified, with the roles
 * their latest token carried (a directory the hub keeps itself, so no assignment names someone
 * who never signed in, or who may not do the work).
 */
export class UserDirectory {
  /** Users this process has recorded, with their roles as recorded: a sighting costs a write once. */
  private readonly recorded = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly now: Clock,
  ) {}

  /** Records a verified viewer, once per process unless their roles changed. */
  async seen(viewer: Viewer): Promise<void> {
    const roles = [...viewer.roles].sort();
    const key = roles.join(',');
    if (this.recorded.get(viewer.user) === key) return;
    await recordUser(this.db, { name: viewer.user, roles }, this.now());
    this.recorded.set(viewer.user, key);
  }

  /**
   * The canonical name of the user `name` if they may be given the work: a user the hub has seen,
   * holding one of `roles`; otherwise BAD_USER_INPUT on `argument`, saying which it is.
   */
  async assignee(name: string, argument: string, roles: readonly Role[], work: string): Promise<string> {
    const user = userArgument(name, argument);
    const known = await findUser(this.db, user);
    if (!known) throw new InputError(`${argument} '${user}' is not a user of the hub: work goes to people who have signed in to it`, { argument });
    if (!known.roles.some((role) => roles.includes(role as Role))) {
      throw new InputError(`${argument} '${user}' holds none of the roles that ${work} (${roles.join(', ')})`, { argument });
    }
    return user;
  }
}
