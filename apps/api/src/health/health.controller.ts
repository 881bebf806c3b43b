import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis.health';

/** Liveness says the process answers; readiness says it can serve (PostgreSQL and Redis reachable). */
@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ operationId: 'Liveness', summary: 'The process is up (touches no dependency)' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ operationId: 'Readiness', summary: 'PostgreSQL and Redis answer; 503 otherwise' })
  ready() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 1500 }), () => this.redis.ping('redis')]);
  }
}
