import { Controller, Get, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';
import request from 'supertest';
import { trustProxies } from './trusted-proxies';

@Controller()
class EchoController {
  @Get('echo')
  echo(@Req() req: Request) {
    return { ip: req.ip, protocol: req.protocol, requestId: req.headers['x-request-id'] ?? null };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

async function appTrusting(proxies: string[]): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(EchoModule, { logger: false });
  app.use(trustProxies(app, proxies));
  await app.init();
  return app;
}

/** supertest connects over loopback: the peer is 127.0.0.1, as the local gateway is. */
const forwarded = { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https', 'X-Request-Id': 'from-gateway-1' };

describe('trustProxies', () => {
  it('takes client address, protocol and request id from a trusted gateway', async () => {
    const app = await appTrusting(['loopback']);
    const { body } = await request(app.getHttpServer()).get('/echo').set(forwarded).expect(200);
    expect(body).toEqual({ ip: '203.0.113.7', protocol: 'https', requestId: 'from-gateway-1' });
    await app.close();
  });

  it.each([[[]], [['10.0.0.0/8']]])('ignores forwarding headers and request ids from anyone else (trusting %j)', async (proxies) => {
    const app = await appTrusting(proxies);
    const { body } = await request(app.getHttpServer()).get('/echo').set(forwarded).expect(200);
    expect(body.ip).toMatch(/127\.0\.0\.1$/);
    expect(body.protocol).toBe('http');
    expect(body.requestId).toBeNull();
    await app.close();
  });
});
