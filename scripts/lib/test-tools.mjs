import { aptInstall, canAptInstall, findCommand } from './apt.mjs';
import { warn } from './log.mjs';

/** System tools some tests drive; each such test skips with a message when its tool is missing. */
const TEST_TOOLS = [{ command: 'promtool', aptPackage: 'prometheus', checks: 'the Prometheus config and alert rules' }];

/** Installs the missing test tools with apt in one go when running as root; otherwise says what will be skipped. */
export async function ensureTestTools() {
  const missing = TEST_TOOLS.filter((tool) => findCommand(tool.command) === undefined);
  if (missing.length === 0) return;
  if (canAptInstall()) {
    try {
      await aptInstall(missing.map((tool) => tool.aptPackage));
      return;
    } catch (error) {
      warn(`could not install test tools: ${error.message}`);
    }
  }
  for (const tool of missing.filter((t) => findCommand(t.command) === undefined)) {
    warn(`${tool.command} is missing (apt package ${tool.aptPackage}): the tests of ${tool.checks} will be skipped`);
  }
}
