import { context, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/** The tracer of this codebase's own spans (the instrumentations make theirs). */
const tracer = () => trace.getTracer('conduit');

/**
 * The W3C `traceparent` of the active span, to carry a trace where no instrumentation does:
 * through an outbox row into a job. Undefined when tracing is off (the no-op API gives none).
 */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/**
 * Runs `work` in a span of its own, the child of `traceparent` when given (a job continuing the
 * trace of the request that caused it), else of the active span. Errors are recorded and rethrown.
 */
export function inSpan<T>(
  name: string,
  options: { traceparent?: string; kind?: SpanKind; attributes?: Record<string, string | number> },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.traceparent === undefined ? context.active() : propagation.extract(ROOT_CONTEXT, { traceparent: options.traceparent });
  return tracer().startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };
