import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ServerLifecycle } from '../http/lifecycle';
import { RedisHealthIndicator } from './redis.health';

/**
 * Liveness says the process answers; readiness says it can serve: not shutting down,
 * PostgreSQL and Redis reachable.
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
  @ApiOperation({ operationId: 'Readiness', summary: 'Not shutting down, PostgreSQL and Redis answer; 503 otherwise' })
  async ready() {
    try {
      return await this.health.check([
        () => (this.lifecycle.draining ? this.indicators.check('instance').down({ message: 'shutting down' }) : this.indicators.check('instance').up()),
        () => this.database.pingCheck('database', { timeout: 1500 }),
        () => this.redis.ping('redis'),
      ]);
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
