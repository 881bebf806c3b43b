import { Injectable } from '@nestjs/common';
import { AuthUser, TokenRevocations, TokenService } from '@app/auth';
import { CacheService } from '@app/cache';
import { Transactions } from '@app/database';
import { unauthorized, unprocessable } from '@app/errors';
import { LoginLockout } from './login-lockout';
import { PasswordHasher } from './password-hasher';
import { NewUser, User, UserChanges } from './user';
import { DuplicateUserFieldError, UserFields, UsersRepository } from './users.repository';

/** Same status and message whether the email is unknown or the password wrong: no account enumeration. */
const INVALID_CREDENTIALS = 'email or password is invalid';

export interface Session {
  readonly user: User;
  readonly token: string;
}

/** Registration, login and the current user's account. Exported for other modules to look users up. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
    private readonly cache: CacheService,
    private readonly lockout: LoginLockout,
    private readonly hasher: PasswordHasher,
    private readonly revocations: TokenRevocations,
    private readonly transactions: Transactions,
  ) {}

  async register(newUser: NewUser): Promise<Session> {
    const passwordHash = await this.hasher.hash(newUser.password);
    const user = await this.users.create({ username: newUser.username, email: newUser.email, passwordHash }).catch(rethrowDuplicateAs422);
    return this.sessionFor(user);
  }

  /**
   * Verifies the password unless this client has failed too often for this
   * account (LoginLockout); `client` is the caller's rate-limit identity.
   */
  async login(email: string, password: string, client: string): Promise<Session> {
    await this.lockout.beginAttempt(email, client);
    const user = await this.verifiedUser(email, password);
    if (user === undefined) throw unauthorized(INVALID_CREDENTIALS);
    await this.lockout.succeeded(email, client);
    return this.sessionFor(user);
  }

  /**
   * The user with this email and password, or undefined; takes the same time
   * whichever part is wrong (an unknown email is checked against a dummy hash).
   * A hash made with older parameters is replaced by one with the current ones.
   */
  private async verifiedUser(email: string, password: string): Promise<User | undefined> {
    const found = await this.users.findCredentials(email);
    if (!(await this.hasher.verify(found?.passwordHash, password)) || found === undefined) return undefined;
    if (this.hasher.needsRehash(found.passwordHash)) await this.users.rehash(found.user.id, await this.hasher.hash(password));
    return found.user;
  }

  async current(userId: number): Promise<Session> {
    return this.sessionFor(await this.existing(userId));
  }

  async update(userId: number, changes: UserChanges): Promise<Session> {
    if (Object.values(changes).every((value) => value === undefined)) {
      throw unprocessable('user must contain at least one field to update');
    }
    const { password, ...fields } = changes;
    const stored: UserFields = {
      ...fields,
      image: changes.image === '' ? null : changes.image,
      passwordHash: password === undefined ? undefined : await this.hasher.hash(password),
    };
    const user = await (password === undefined ? this.users.update(userId, stored) : this.changePassword(userId, stored)).catch(rethrowDuplicateAs422);
    if (user === undefined) throw unauthorized('the account of this token no longer exists');
    // Profiles and article views embed username, bio and image.
    await this.cache.bump('users');
    return this.sessionFor(user);
  }

  /** The request's token stops working, on every instance. The user's other tokens stay valid. */
  async logout(auth: AuthUser): Promise<void> {
    await this.revocations.revokeToken(auth);
  }

  /**
   * The update with a new password, which starts a new token generation: every token issued
   * before it is revoked (the change and its revocation commit together), and the caller gets a
   * token of the new generation.
   */
  private async changePassword(userId: number, stored: UserFields): Promise<User | undefined> {
    const changed = await this.transactions.run(async (tx) => {
      const user = await this.users.update(userId, stored, tx);
      return user && { user, revocation: await this.revocations.revokeGenerationsBelow(user.id, user.tokenGeneration, tx) };
    });
    if (changed === undefined) return undefined;
    await this.revocations.publish(changed.revocation);
    return changed.user;
  }

  findByUsername(username: string): Promise<User | undefined> {
    return this.users.findByUsername(username);
  }

  /** The token's user; a token of a deleted account is no longer a valid session. */
  private async existing(userId: number): Promise<User> {
    const user = await this.users.findById(userId);
    if (user === undefined) throw unauthorized('the account of this token no longer exists');
    return user;
  }

  private sessionFor(user: User): Session {
    return { user, token: this.tokens.sign(user) };
  }
}

function rethrowDuplicateAs422(error: unknown): never {
  if (error instanceof DuplicateUserFieldError) throw unprocessable(error.message);
  throw error;
}
