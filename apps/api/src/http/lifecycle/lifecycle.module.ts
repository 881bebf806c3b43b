import { Global, Module } from '@nestjs/common';
import { ServerLifecycle } from './server-lifecycle';

/** One ServerLifecycle per process, shared by the HTTP edge, readiness and the shutdown sequence. */
@Global()
@Module({ providers: [ServerLifecycle], exports: [ServerLifecycle] })
export class LifecycleModule {}
