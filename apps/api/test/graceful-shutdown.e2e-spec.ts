import { Agent, request } from 'node:http';
import { sleep, startBuiltApi } from '@app/testing';

/** GET over one kept-alive connection, so the test sees what a gateway's pooled connection sees. */
function get(url: string, agent: Agent): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('graceful stop of an API instance (SIGTERM)', () => {
  jest.setTimeout(60_000);

  it('drains (still serving, readiness 503, connections closed after each response), then stops accepting and exits 0', async () => {
    const api = await startBuiltApi({ ...process.env, SHUTDOWN_DRAIN_MS: '1500', SHUTDOWN_TIMEOUT_MS: '5000' });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await get(`${api.url}/api/tags`, agent);
      expect(before).toMatchObject({ status: 200, connection: 'keep-alive' });

      const exited = new Promise<number | null>((resolve) => api.child.once('exit', resolve));
      api.child.kill('SIGTERM');
      await sleep(300);

      const draining = await get(`${api.url}/api/tags`, agent);
      expect(draining).toMatchObject({ status: 200, connection: 'close' });
      const readiness = await get(`${api.url}/health/ready`, agent);
      expect(readiness.status).toBe(503);
      expect(JSON.parse(readiness.body)).toEqual({ errors: { body: ['not ready: instance (shutting down)'] } });

      expect(await exited).toBe(0);
      await expect(get(`${api.url}/api/tags`, agent)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      agent.destroy();
      await api.kill();
    }
  });

  it('closes the connection also after a request that was under way when the drain began', async () => {
    const api = await startBuiltApi({ ...process.env, SHUTDOWN_DRAIN_MS: '1500', SHUTDOWN_TIMEOUT_MS: '5000' });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const body = JSON.stringify({ user: { email: 'nobody@example.com', password: 'wrong-password' } });
      const answered = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = request(
          `${api.url}/api/users/login`,
          { agent, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
          },
        ).on('error', reject);
        // Half the body now: the request has arrived; the rest once the instance is draining.
        req.write(body.slice(0, 10));
        setTimeout(() => {
          api.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(10)), 300);
        }, 300);
      });
      expect(await answered).toEqual({ status: 401, connection: 'close' });
    } finally {
      agent.destroy();
      await api.kill();
    }
  });

  it('with SHUTDOWN_STOP_ACCEPTING=drain-start refuses new connections at once, and still answers on the open ones', async () => {
    const api = await startBuiltApi({ ...process.env, SHUTDOWN_DRAIN_MS: '1500', SHUTDOWN_TIMEOUT_MS: '5000', SHUTDOWN_STOP_ACCEPTING: 'drain-start' });
    const pooled = new Agent({ keepAlive: true, maxSockets: 1 });
    const fresh = new Agent({ keepAlive: false });
    try {
      expect(await get(`${api.url}/api/tags`, pooled)).toMatchObject({ status: 200, connection: 'keep-alive' });

      const exited = new Promise<number | null>((resolve) => api.child.once('exit', resolve));
      api.child.kill('SIGTERM');
      await sleep(300);

      // A gateway's connect is refused, so it passes the request on, even a POST (nothing was sent).
      await expect(get(`${api.url}/api/tags`, fresh)).rejects.toThrow(/ECONNREFUSED/);
      expect(api.child.exitCode).toBeNull();
      // The connection it already had is still served, and then closed.
      expect(await get(`${api.url}/api/tags`, pooled)).toMatchObject({ status: 200, connection: 'close' });
      expect(await exited).toBe(0);
    } finally {
      pooled.destroy();
      fresh.destroy();
      await api.kill();
    }
  });
});
