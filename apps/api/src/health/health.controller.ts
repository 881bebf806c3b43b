import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ServerLifecycle } from '../http/lifecycle';
import { RedisHealthIndicator } from './redis.health';

/**
 * Liveness says the process answers; readiness says it can serve: not shutting down and
 * PostgreSQL reachable. Redis is reported but does not fail readiness: without it the API
 * still serves every request (the cache steps aside, rate limits fail open, events wait in
 * the outbox), so taking every instance out of rotation during a Redis outage would turn a
 * degradation into an outage.
 */
@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly lifecycle: ServerLifecycle,
  ) {}

  @Get('live')
  @ApiOperation({ operationId: 'Liveness', summary: 'The process is up (touches no dependency)' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ operationId: 'Readiness', summary: 'Not shutting down and PostgreSQL answers (503 otherwise); Redis reported as degraded, not failing' })
  async ready() {
    const redis = this.redis.ping('redis');
    try {
      const result = await this.health.check([
        () => (this.lifecycle.draining ? this.indicators.check('instance').down({ message: 'shutting down' }) : this.indicators.check('instance').up()),
        () => this.database.pingCheck('database', { timeout: 1500 }),
      ]);
      const redisResult = await redis;
      return { ...result, details: { ...result.details, ...redisResult }, ...(redisResult.redis.status === 'down' ? { degraded: ['redis'] } : {}) };
    } catch (error) {
      throw error instanceof ServiceUnavailableException ? new ServiceUnavailableException(notReadyMessage(error)) : error;
    }
  }
}

/** "not ready: instance (shutting down), redis (connect ECONNREFUSED)": which checks failed, in the error shape's one line. */
function notReadyMessage(error: ServiceUnavailableException): string {
  const failed = (error.getResponse() as { error?: Record<string, { message?: string }> }).error ?? {};
  const parts = Object.entries(failed).map(([check, result]) => (result.message ? `${check} (${result.message})` : check));
  return `not ready: ${parts.join(', ') || 'unknown'}`;
}
