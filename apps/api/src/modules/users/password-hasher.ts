import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/config';
import * as argon2 from 'argon2';
import { ConcurrencyLimit } from './concurrency-limit';

/**
 * argon2id with parameters from config. node-argon2 hashes on the libuv thread
 * pool, so a login never blocks the event loop; at most ARGON2_MAX_CONCURRENT
 * hashes run at once per process, so logins at full rate leave CPU for the rest.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** Verified against when the email is unknown, so both failures cost the same time. */
  private dummyHash = '';

  private readonly slots: ConcurrencyLimit;

  constructor(private readonly config: AppConfig) {
    this.slots = new ConcurrencyLimit(config.argon2.maxConcurrent);
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash('not-a-real-password-only-for-timing');
  }

  hash(password: string): Promise<string> {
    const { memoryKib, timeCost, parallelism } = this.config.argon2;
    return this.slots.run(() => argon2.hash(password, { type: argon2.argon2id, memoryCost: memoryKib, timeCost, parallelism }));
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    try {
      const matches = await this.slots.run(() => argon2.verify(hash ?? this.dummyHash, password));
      return hash !== undefined && matches;
    } catch {
      return false;
    }
  }

  /** True when a stored hash was made with weaker parameters than configured now. */
  needsRehash(hash: string): boolean {
    const { memoryKib, timeCost, parallelism } = this.config.argon2;
    return argon2.needsRehash(hash, { memoryCost: memoryKib, timeCost, parallelism });
  }
}
