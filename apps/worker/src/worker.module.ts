import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { LoggingModule } from '@app/logging';
import { RedisModule } from '@app/redis';

/**
 * The background worker: its own process, sharing config, database and Redis
 * libs with the API. Queue consumers register here.
 */
@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule, RedisModule],
})
export class WorkerModule {}
