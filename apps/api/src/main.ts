import './tracing';
import cluster from 'node:cluster';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, loadConfigOrExit } from '@app/config';
import { AppLogger } from '@app/logging';
import { AppModule } from './app.module';
import { runClusterPrimary } from './http/cluster-primary';
import { configureApp } from './http/configure-app';
import { stopGracefullyOnSignals } from './http/lifecycle';

async function serve(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: true });
  configureApp(app);
  const config = app.get(AppConfig);
  const server = await app.listen(config.port, config.host);
  // Idle keep-alive sockets must outlive a proxy's, or it may reuse a socket we just closed.
  server.keepAliveTimeout = config.keepAliveTimeoutSeconds * 1000;
  server.headersTimeout = config.keepAliveTimeoutSeconds * 1000 + 5000;
  stopGracefullyOnSignals(app, server, config, app.get(AppLogger));
}

// Validate before Nest starts, so a bad deployment fails with one clear message.
const config = loadConfigOrExit();
if (config.httpWorkers > 1 && cluster.isPrimary) {
  runClusterPrimary(config.httpWorkers);
} else {
  void serve();
}
