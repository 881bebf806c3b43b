import { DynamicModule, Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '@app/config';
import { bullConnection } from './bull-connection';
import { OutboxMetrics } from './outbox.metrics';
import { QueueMetrics } from './queue.metrics';
import { ALL_QUEUES, DEFAULT_JOB_OPTIONS } from './queues';

/** BullMQ on the shared Redis, with every queue of the contract registered (for producers, consumers, the board and metrics). */
@Global()
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    const queues = BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name })));
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({ ...bullConnection(config), defaultJobOptions: DEFAULT_JOB_OPTIONS }),
        }),
        queues,
      ],
      providers: [QueueMetrics, OutboxMetrics],
      exports: [queues],
    };
  }
}
