import { aptInstall, canAptInstall, findCommand } from './apt.mjs';
import { warn } from './log.mjs';

/** System tools some tests drive; each such test skips with a message when its tool is missing. */
const TEST_TOOLS = [
  { command: 'redis-server', aptPackage: 'redis-server', checks: 'the Redis fault, Sentinel and Cluster suites' },
  { command: 'redis-cli', aptPackage: 'redis-tools', checks: 'the Redis Cluster suites (redis-cli --cluster create)' },
  { command: 'promtool', aptPackage: 'prometheus', checks: 'the Prometheus config and alert rules' },
  { command: 'nginx', aptPackage: 'nginx', checks: 'the gateway (nginx -t, the local topology through HTTPS)' },
  { command: 'openssl', aptPackage: 'openssl', checks: 'the gateway (its local TLS certificate)' },
  { command: 'docker-compose', aptPackage: 'docker-compose', checks: 'docker/compose.yaml (docker-compose config)' },
  // Driven by playwright-core through its executable path; playwright never downloads a browser here.
  { command: 'chromium', aptPackage: 'chromium', checks: 'Swagger UI in a browser' },
  { command: 'sqlmap', aptPackage: 'sqlmap', checks: 'SQL injection on every operation' },
  // No Debian package carries a current kubectl (kustomize v5); machines of this project's kind ship one.
  { command: 'kubectl', checks: 'the Kubernetes manifests (kubectl kustomize)' },
];

/** Installs the missing test tools with apt in one go when running as root; otherwise says what will be skipped. */
export async function ensureTestTools() {
  const missing = TEST_TOOLS.filter((tool) => findCommand(tool.command) === undefined);
  const installable = missing.filter((tool) => tool.aptPackage !== undefined);
  if (missing.length === 0) return;
  if (installable.length > 0 && canAptInstall()) {
    try {
      await aptInstall(installable.map((tool) => tool.aptPackage));
    } catch (error) {
      warn(`could not install test tools: ${error.message}`);
    }
  }
  for (const tool of missing.filter((t) => findCommand(t.command) === undefined)) {
    const how = tool.aptPackage ? `apt package ${tool.aptPackage}` : 'install it to run them';
    warn(`${tool.command} is missing (${how}): the tests of ${tool.checks} will be skipped`);
  }
}
