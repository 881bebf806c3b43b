import './tracing';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadConfigOrExit } from '@app/config';
import { Sql } from '@app/database';
import { AppLogger } from '@app/logging';
import { REDIS_CLIENT, RedisClient } from '@app/redis';
import { startMetricsServer } from './metrics-server';
import { WorkerModule } from './worker.module';
import { stopTracing } from '@app/tracing';

async function bootstrap(): Promise<void> {
  // Validate before Nest starts, so a bad deployment fails with one clear message.
  loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(AppLogger));
  // Fail at start, not at the first job, when a dependency is unreachable.
  await app.get(Sql).ping();
  await app.get<RedisClient>(REDIS_CLIENT).ping();
  const config = app.get(AppConfig);
  const metrics = config.worker.metricsPort > 0 ? await startMetricsServer(config.worker.metricsPort) : undefined;
  const logger = new NestLogger('Worker');
  logger.log(`worker ready${metrics ? ` (metrics on :${config.worker.metricsPort}/metrics)` : ''}`);

  // Graceful stop: close the application (consumers, pools, connections), then exit 0.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received; stopping`);
    metrics?.close();
    // Closing the app closes the BullMQ workers: they finish their active jobs (or
    // release them to be picked up again) before the connections go away.
    app
      .close()
      .then(stopTracing) // the last spans, before the process is gone
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
