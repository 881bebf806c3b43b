/**
 * Imported first by main.ts: tracing (when the OTEL_* variables ask for it) must start before
 * http, express, Nest, pg and ioredis are loaded, so that its instrumentations can wrap them.
 */
import { startTracing } from '@app/tracing';

startTracing('conduit-api');
