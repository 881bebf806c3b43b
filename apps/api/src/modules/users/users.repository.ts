import { Injectable } from '@nestjs/common';
import { Sql, statement, Tx } from '@app/database';
import { driverErrorOf, isUniqueViolation } from '@app/errors';
import { User, UserChanges } from './user';

/** Which unique field a write collided with. */
export class DuplicateUserFieldError extends Error {
  constructor(readonly field: 'username' | 'email') {
    super(`${field} has already been taken`);
  }
}

const UNIQUE_FIELD_BY_CONSTRAINT: Record<string, 'username' | 'email'> = {
  users_username_unique: 'username',
  users_email_unique: 'email',
};

/** What a user row is written as: the changes, with the password's hash in place of the password. */
export type UserFields = Omit<UserChanges, 'password'> & { readonly passwordHash?: string };

const USER_COLUMNS = 'id, username, email, bio, image, token_generation AS "tokenGeneration"';
const BY_ID = statement(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`);
// Usernames and emails are unique regardless of case (the unique indexes are on lower()), and looked up the same way.
const BY_USERNAME = statement(`SELECT ${USER_COLUMNS} FROM users WHERE lower(username) = lower($1)`);
const CREDENTIALS = statement(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE lower(email) = lower($1)`);
const INSERT = statement(`INSERT INTO users (username, email, password_hash) VALUES ($1, $2, $3) RETURNING ${USER_COLUMNS}`);
/**
 * Each field changes only when its flag is set, so a field can also be set to null (bio, image).
 * A new password starts a new token generation (the service revokes the older ones).
 */
const UPDATE = statement(`
  UPDATE users SET username      = CASE WHEN $2::boolean THEN $3 ELSE username END,
                   email         = CASE WHEN $4::boolean THEN $5 ELSE email END,
                   password_hash = CASE WHEN $6::boolean THEN $7 ELSE password_hash END,
                   token_generation = CASE WHEN $6::boolean THEN token_generation + 1 ELSE token_generation END,
                   bio           = CASE WHEN $8::boolean THEN $9 ELSE bio END,
                   image         = CASE WHEN $10::boolean THEN $11 ELSE image END,
                   updated_at    = now()
   WHERE id = $1
  RETURNING ${USER_COLUMNS}`);
/** The same password under a hash with newer parameters: not a password change, sessions stay. */
const REHASH = statement(`UPDATE users SET password_hash = $2 WHERE id = $1`);

type UserRow = User;

/** Users and their password hashes. Hashing itself is the service's (PasswordHasher); every method but `findCredentials` hands out a `User`. */
@Injectable()
export class UsersRepository {
  constructor(private readonly sql: Sql) {}

  findById(id: number): Promise<User | undefined> {
    return this.sql.one<UserRow>(BY_ID, [id]);
  }

  findByUsername(username: string): Promise<User | undefined> {
    return this.sql.one<UserRow>(BY_USERNAME, [username]);
  }

  /** The user with this email and the hash to check a password against. */
  async findCredentials(email: string): Promise<{ user: User; passwordHash: string } | undefined> {
    const row = await this.sql.one<UserRow & { password_hash: string }>(CREDENTIALS, [email]);
    if (row === undefined) return undefined;
    const { password_hash: passwordHash, ...user } = row;
    return { user, passwordHash };
  }

  /** Inserts a user; a taken username or email (checked by the unique indexes) throws `DuplicateUserFieldError`. */
  async create(user: { username: string; email: string; passwordHash: string }): Promise<User> {
    try {
      return (await this.sql.one<UserRow>(INSERT, [user.username, user.email, user.passwordHash]))!;
    } catch (error) {
      throw translateUniqueViolation(error);
    }
  }

  /** Replaces the stored hash of an unchanged password (one made with newer hashing parameters). */
  async rehash(id: number, passwordHash: string): Promise<void> {
    await this.sql.execute(REHASH, [id, passwordHash]);
  }

  /** The user after the change, or undefined when there is no such user. */
  async update(id: number, fields: UserFields, tx?: Tx): Promise<User | undefined> {
    const set = (value: unknown) => [value !== undefined, value ?? null];
    try {
      return await this.sql.one<UserRow>(
        UPDATE,
        [id, ...set(fields.username), ...set(fields.email), ...set(fields.passwordHash), ...set(fields.bio), ...set(fields.image)],
        tx,
      );
    } catch (error) {
      throw translateUniqueViolation(error);
    }
  }
}

function translateUniqueViolation(error: unknown): unknown {
  const field = isUniqueViolation(error) ? UNIQUE_FIELD_BY_CONSTRAINT[driverErrorOf(error)?.constraint ?? ''] : undefined;
  return field ? new DuplicateUserFieldError(field) : error;
}
