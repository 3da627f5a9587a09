import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import type { DB } from '../../platform/db/schema.ts';
import { ConflictError } from '../../platform/http/errors.ts';
import { insertUser, type UserRow } from '../auth/index.ts';
import { insertCalendar } from '../calendars/index.ts';
import { createHousehold, type NewServerKey } from '../households/index.ts';
import { insertSettings } from '../settings/index.ts';

export type NewAccount = { email: string; display_name: string | undefined; password_hash: string };

/**
 * A new account with everything it starts with (settings, the "Personal" calendar, the household
 * "Home" it owns), in one transaction: a crash or a refusal leaves either all of it or none.
 */
export async function createAccount(db: Kysely<DB>, account: NewAccount, newServerKey: NewServerKey): Promise<UserRow> {
  const { email, display_name, password_hash } = account;
  return db
    .transaction()
    .execute(async (trx) => {
      const created = await insertUser(trx, { email, display_name: display_name ?? email.split('@')[0] ?? email, password_hash });
      await insertSettings(trx, created.id);
      await insertCalendar(trx, created.id, { name: 'Personal', is_default: true });
      await createHousehold(trx, newServerKey, created.id, 'Home');
      return created;
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error, 'users_email_lower_key')) throw new ConflictError('An account with this email already exists');
      throw error;
    });
}
