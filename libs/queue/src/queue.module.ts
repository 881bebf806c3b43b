import { DynamicModule, Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '@app/config';
import { QueueConnection, queuePrefix } from './bull-connection';
import { OutboxMetrics } from './outbox.metrics';
import { QueueErrors } from './queue-errors';
import { QueueMetrics } from './queue.metrics';
import { ALL_QUEUES, DEFAULT_JOB_OPTIONS } from './queues';

/** Provides the connection before BullMQ's root module asks for it. */
@Global()
@Module({ providers: [QueueConnection], exports: [QueueConnection] })
class QueueConnectionModule {}

/** BullMQ on the configured Redis, with every queue of the contract registered (for producers, consumers, the board and metrics). */
@Global()
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    const queues = ALL_QUEUES.map((name) =>
      BullModule.registerQueueAsync({ name, inject: [AppConfig], useFactory: (config: AppConfig) => ({ prefix: queuePrefix(config, name) }) }),
    );
    return {
      module: QueueModule,
      imports: [
        QueueConnectionModule,
        BullModule.forRootAsync({
          inject: [AppConfig, QueueConnection],
          useFactory: (config: AppConfig, connection: QueueConnection) => ({ connection: connection.for(config), defaultJobOptions: DEFAULT_JOB_OPTIONS }),
        }),
        ...queues,
      ],
      providers: [QueueMetrics, QueueErrors, OutboxMetrics],
      exports: queues,
    };
  }
}
