/** Short, prefixed progress lines for the project's scripts. */
export const log = (message) => process.stdout.write(`[conduit] ${message}\n`);
export const warn = (message) => process.stderr.write(`[conduit] ${message}\n`);
