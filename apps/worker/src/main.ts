import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigValidationError, loadConfig } from '@app/config';
import { REDIS_CLIENT } from '@app/redis';
import type Redis from 'ioredis';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  try {
    loadConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  // Fail at start, not at the first job, when a dependency is unreachable.
  await app.get(DataSource).query('SELECT 1');
  await app.get<Redis>(REDIS_CLIENT).ping();
  new NestLogger('Worker').log('worker ready');
}

void bootstrap();
