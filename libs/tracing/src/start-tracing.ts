import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** Whether the standard OTEL_* variables ask for traces: an OTLP endpoint, and the SDK not disabled. */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

let provider: NodeTracerProvider | undefined;

/**
 * Starts OpenTelemetry tracing for this process when the OTEL_* variables ask for it (docs/operations.md,
 * "Traces"), and does nothing otherwise: the API then stays the no-op one, at no cost. Must run
 * before the instrumented libraries are loaded (each app's `tracing.ts`, its entry's first import):
 * the instrumentations patch http, express, Nest, pg and ioredis as they are required. Spans go
 * over OTLP/HTTP to the configured endpoint in batches; the exporter reads the standard
 * OTEL_EXPORTER_OTLP_* settings (endpoint, headers, timeout), the batch processor OTEL_BSP_*, the
 * sampler OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG (default: every trace; a busy production
 * samples, e.g. `parentbased_traceidratio` at 0.1).
 */
export function startTracing(serviceName: string): void {
  if (provider !== undefined || !tracingRequested()) return;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // W3C trace context: `traceparent` in and out of every HTTP request.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Probes and scrapes are not traced: they would be most of the spans and tell nothing.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => /^\/(metrics|health)(\/|$|\?)/.test(request.url ?? ''),
        // The request id the API answered with (the gateway's, from a trusted proxy): from a log line or the gateway's log to the trace.
        // (Set as the span ends: the id is assigned after the span began.)
        applyCustomAttributesOnSpan: (span, _request, response) => {
          const requestId = 'getHeader' in response ? response.getHeader('x-request-id') : undefined;
          if (typeof requestId === 'string') span.setAttribute('conduit.request_id', requestId);
        },
      }),
      // Routers and handlers only: a span per middleware (helmet, CORS, body parser, request id, ...) on
      // every request cost more than the request (docs/benchmarks.md, "Traces") and told nothing.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new NestInstrumentation(),
      // Only inside a trace: the outbox relay's polls and BullMQ's own commands would be a flood of lone spans.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
}

/** Sends the spans not yet exported (at shutdown: a stopping process would lose its last batch). */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
}
