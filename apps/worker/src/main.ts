import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@app/config';
import { REDIS_CLIENT } from '@app/redis';
import type Redis from 'ioredis';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  // Validate before Nest starts, so a bad deployment fails with one clear message.
  loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Fail at start, not at the first job, when a dependency is unreachable.
  await app.get(DataSource).query('SELECT 1');
  await app.get<Redis>(REDIS_CLIENT).ping();
  const logger = new NestLogger('Worker');
  logger.log('worker ready');

  // Graceful stop: close the application (consumers, pools, connections), then exit 0.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received; stopping`);
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(error);
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void bootstrap();
