import { Injectable } from '@nestjs/common';
import { CacheService } from '@app/cache';
import { notFound, unprocessable } from '@app/errors';
import { User, UsersService } from '../users';
import { FollowsRepository } from './follows.repository';
import type { ProfileView } from './profile';

@Injectable()
export class ProfilesService {
  constructor(
    private readonly users: UsersService,
    private readonly follows: FollowsRepository,
    private readonly cache: CacheService,
  ) {}

  /** The profile is cached (it changes only when its user does); `following` is the viewer's, read per request. */
  async get(username: string, viewerId: number | undefined): Promise<ProfileView> {
    const user = await this.cache.getOrLoad('profile', username.toLowerCase(), ['users'], async () => {
      const found = await this.users.findByUsername(username);
      // Only public fields go to the cache (no email).
      return found && { id: found.id, username: found.username, bio: found.bio, image: found.image };
    });
    if (user === undefined) throw notFound(`profile "${username}" not found`);
    return profileOf(user, await this.follows.isFollowing(viewerId, user.id));
  }

  async follow(viewerId: number, username: string): Promise<ProfileView> {
    const user = await this.existing(username);
    if (user.id === viewerId) throw unprocessable('you cannot follow yourself');
    if (await this.follows.follow(viewerId, user.id)) await this.cache.bump('follows'); // feeds
    return profileOf(user, true);
  }

  async unfollow(viewerId: number, username: string): Promise<ProfileView> {
    const user = await this.existing(username);
    if (await this.follows.unfollow(viewerId, user.id)) await this.cache.bump('follows');
    return profileOf(user, false);
  }

  private async existing(username: string): Promise<User> {
    const user = await this.users.findByUsername(username);
    if (user === undefined) throw notFound(`profile "${username}" not found`);
    return user;
  }
}

function profileOf(user: Pick<User, 'username' | 'bio' | 'image'>, following: boolean): ProfileView {
  return { username: user.username, bio: user.bio, image: user.image, following };
}
