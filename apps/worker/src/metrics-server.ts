import { createServer, Server } from 'node:http';
import { register } from 'prom-client';

/**
 * The worker has no HTTP API; its metrics get a small server on their own
 * port, with `/health` for liveness probes (the process and its event loop answer).
 */
export function startMetricsServer(port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    register
      .metrics()
      .then((text) => res.writeHead(200, { 'content-type': register.contentType }).end(text))
      .catch((error: Error) => res.writeHead(500).end(error.message));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
