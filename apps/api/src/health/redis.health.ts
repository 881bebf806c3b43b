import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { REDIS_CLIENT, RedisClient, withTimeout } from '@app/redis';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS_CLIENT) private readonly client: RedisClient,
    private readonly health: HealthIndicatorService,
  ) {}

  async ping(key = 'redis') {
    const indicator = this.health.check(key);
    try {
      const reply = await withTimeout(this.client.ping(), 1000, 'no answer within 1 s');
      return reply === 'PONG' ? indicator.up() : indicator.down({ message: `unexpected reply ${String(reply)}` });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
