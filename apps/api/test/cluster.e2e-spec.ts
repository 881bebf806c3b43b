import { readFileSync } from 'node:fs';
import { isAlive, startBuiltApi } from '@app/testing';

const childrenOf = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

describe('API_WORKERS: the API as a node:cluster', () => {
  jest.setTimeout(60_000);

  it('serves from several processes on one port and stops them all on SIGTERM (exit 0)', async () => {
    const api = await startBuiltApi({ API_WORKERS: '2' });
    const workers = childrenOf(api.child.pid!);
    expect(workers).toHaveLength(2);
    const responses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${api.url}/api/tags`)));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(await api.stop()).toBe(0);
    expect(workers.filter(isAlive)).toEqual([]);
  });
});
