import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUniqueViolation, driverErrorOf } from '@app/errors';
import { Repository } from 'typeorm';
import { PasswordHasher } from './password-hasher';
import { NewUser, User, UserChanges } from './user';
import { UserEntity } from './user.entity';

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

/**
 * Users and their credentials. The password hash is written and checked here
 * and never returned: every method hands out a `User`.
 */
@Injectable()
export class UsersRepository {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
  ) {}

  async findById(id: number): Promise<User | undefined> {
    return toUser(await this.users.findOneBy({ id }));
  }

  /** Usernames are unique regardless of case, and looked up the same way. */
  async findByUsername(username: string): Promise<User | undefined> {
    return toUser(await this.users.createQueryBuilder('u').where('lower(u.username) = lower(:username)', { username }).getOne());
  }

  /** The user with this email and password, or undefined; takes the same time whichever part is wrong. */
  async findByCredentials(email: string, password: string): Promise<User | undefined> {
    const found = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
    if (!(await this.hasher.verify(found?.passwordHash, password)) || found === null) return undefined;
    if (this.hasher.needsRehash(found.passwordHash)) {
      await this.users.update({ id: found.id }, { passwordHash: await this.hasher.hash(password) });
    }
    return toUser(found);
  }

  /** Inserts a user; a taken username or email (checked by the unique indexes) throws `DuplicateUserFieldError`. */
  async create(user: NewUser): Promise<User> {
    const passwordHash = await this.hasher.hash(user.password);
    const entity = this.users.create({ username: user.username, email: user.email, passwordHash, bio: null, image: null });
    try {
      return toUser(await this.users.save(entity)) as User;
    } catch (error) {
      throw translateUniqueViolation(error);
    }
  }

  async update(id: number, changes: UserChanges): Promise<User | undefined> {
    const { password, ...fields } = changes;
    const values: Partial<UserEntity> = { ...fields };
    if (password !== undefined) values.passwordHash = await this.hasher.hash(password);
    try {
      await this.users.update({ id }, values);
    } catch (error) {
      throw translateUniqueViolation(error);
    }
    return this.findById(id);
  }
}

function translateUniqueViolation(error: unknown): unknown {
  const field = isUniqueViolation(error) ? UNIQUE_FIELD_BY_CONSTRAINT[driverErrorOf(error)?.constraint ?? ''] : undefined;
  return field ? new DuplicateUserFieldError(field) : error;
}

function toUser(entity: UserEntity | null): User | undefined {
  if (entity === null) return undefined;
  return { id: entity.id, username: entity.username, email: entity.email, bio: entity.bio, image: entity.image };
}
