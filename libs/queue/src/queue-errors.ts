import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { ModuleRef } from '@nestjs/core';
import { IntermittentWarning } from '@app/redis';
import type { Queue } from 'bullmq';
import { ALL_QUEUES } from './queues';

/**
 * Logs what goes wrong on the queues' connections (Redis down, a failover under way), at most
 * once per interval per queue: a queue without an error listener has BullMQ print each failure
 * with a stack trace, many a second while Redis is away. The work itself is not affected: jobs
 * wait in the outbox, and BullMQ reconnects by itself.
 */
@Injectable()
export class QueueErrors implements OnModuleInit {
  private readonly logger = new Logger('Queues');

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    for (const name of ALL_QUEUES) {
      const warning = new IntermittentWarning(this.logger);
      this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }).on('error', (error: Error) => warning.warn(`queue ${name}: ${error.message}`));
    }
  }
}
