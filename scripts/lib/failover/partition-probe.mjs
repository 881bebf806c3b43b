#!/usr/bin/env node
/**
 * Run inside a node's namespace by the failover suite while that node is cut off: a client on the
 * cut-off side, writing articles to that node's own API every 250 ms for a while. Prints one JSON
 * line per attempt ({ at, status, slug }); the suite counts the 2xx, which only a primary that
 * went on committing after it was cut off could have given (a write the cluster then loses).
 *   partition-probe.mjs <api url> <token> <duration ms>
 */
const [url, token, duration] = process.argv.slice(2);
const until = Date.now() + Number(duration);
for (let i = 0; Date.now() < until; i++) {
  const at = Date.now();
  let status;
  let slug;
  try {
    const response = await fetch(`${url}/api/articles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${token}` },
      body: JSON.stringify({ article: { title: `Cut off ${process.pid} ${i}`, description: 'probe', body: 'b' } }),
      signal: AbortSignal.timeout(Math.min(10_000, Math.max(1000, until - at))),
    });
    status = response.status;
    if (response.ok) slug = (await response.json()).article.slug;
  } catch (error) {
    status = `error: ${error.name}`;
  }
  process.stdout.write(`${JSON.stringify({ at, status, slug })}\n`);
  await new Promise((resolve) => setTimeout(resolve, 250));
}
