import { Agent, request } from 'node:https';

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = any>(): T;
}

/**
 * A keep-alive HTTPS client for the gateway that trusts one CA (the local
 * self-signed certificate) instead of turning verification off.
 */
export class HttpsClient {
  private readonly agent: Agent;

  constructor(
    private readonly base: string,
    ca: Buffer,
  ) {
    this.agent = new Agent({ keepAlive: true, ca, maxSockets: 16 });
  }

  send(method: string, path: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<HttpsResponse> {
    const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const headers: Record<string, string> = { ...options.headers };
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    if (options.token) headers.authorization = `Token ${options.token}`;
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.base), { method, agent: this.agent, headers, timeout: 15_000 }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
