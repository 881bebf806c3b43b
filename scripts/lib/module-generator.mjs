import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { PROJECT_DIR } from './paths.mjs';

const TEMPLATE_DIR = join(PROJECT_DIR, 'scripts/module-template');
/** Paths the API already serves at its top level: a module of that name would collide. */
const RESERVED = ['user', 'users', 'profiles', 'articles', 'tags', 'health', 'metrics', 'admin', 'docs', 'api'];

const pascal = (kebab) =>
  kebab
    .split('-')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
const camel = (kebab) => pascal(kebab).replace(/^./, (first) => first.toLowerCase());

/** Every spelling of the module's name the templates use, from its plural kebab-case name. */
export function moduleNames(plural, singular = singularOf(plural)) {
  const kebab = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
  if (!kebab.test(plural)) throw new Error(`"${plural}": use a plural kebab-case name such as "bookmarks" or "reading-lists"`);
  if (!singular || !kebab.test(singular) || singular === plural) {
    throw new Error(`cannot tell the singular of "${plural}"; pass it: --singular <name>`);
  }
  if (RESERVED.includes(plural)) throw new Error(`"${plural}" is taken by the API itself`);
  return {
    __names__: plural,
    __name__: singular,
    __Names__: pascal(plural),
    __Name__: pascal(singular),
    __namesCamel__: camel(plural),
    __nameCamel__: camel(singular),
    __NAMES_CONSTANT__: plural.replace(/-/g, '_').toUpperCase(),
    __table__: plural.replace(/-/g, '_'),
    __Title__: plural[0].toUpperCase() + plural.slice(1).replace(/-/g, ' '),
    __EVENT__: `${singular}.created`,
    __TIMESTAMP__: String(Date.now()),
  };
}

function singularOf(plural) {
  if (plural.endsWith('ies')) return `${plural.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(plural)) return plural.slice(0, -2);
  if (plural.endsWith('s') && !plural.endsWith('ss')) return plural.slice(0, -1);
  return undefined;
}

const render = (text, names) => Object.entries(names).reduce((out, [placeholder, value]) => out.replaceAll(placeholder, value), text);

function templateFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? templateFiles(path) : [path];
  });
}

/** Where each template goes; names inside paths are placeholders too. */
function destination(template, names) {
  const path = relative(TEMPLATE_DIR, template).replace(/\.tmpl$/, '');
  if (path.startsWith('module/')) return join('apps/api/src/modules', names.__names__, render(path.slice('module/'.length), names));
  if (path.startsWith('test/')) return join('apps/api/test', render(path.slice('test/'.length), names));
  if (path === 'migration.ts') return join('libs/database/src/migrations', `${names.__TIMESTAMP__}-${names.__names__}.ts`);
  throw new Error(`no destination for template ${path}`);
}

/** An edit of a registration point that refuses to guess when the file no longer looks as expected. */
function edit(root, file, change) {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`could not register the module in ${file}: its layout changed; update scripts/lib/module-generator.mjs`);
  writeFileSync(path, after);
}

function insertBefore(text, anchor, insertion) {
  const match = anchor.exec(text);
  return match ? text.slice(0, match.index) + insertion + text.slice(match.index) : text;
}

/** Adds the module to the API, its migration to the list and its event to the queue contract (its cache generation is its own: see its module file). */
function register(root, names) {
  const migrationClass = `${names.__Names__}${names.__TIMESTAMP__}`;
  edit(root, 'apps/api/src/app.module.ts', (text) => {
    const imports = [...text.matchAll(/^import .* from '\.\/modules\/[^']+';\n/gm)];
    const last = imports.at(-1);
    if (!last) return text;
    const at = last.index + last[0].length;
    const withImport = `${text.slice(0, at)}import { ${names.__Names__}Module } from './modules/${names.__names__}';\n${text.slice(at)}`;
    return insertBefore(withImport, /^ {2}\],\n {2}providers:/m, `    ${names.__Names__}Module,\n`);
  });
  edit(root, 'libs/database/src/migrations/index.ts', (text) => {
    const list = /export const MIGRATIONS = \[([^\]]*)\];/.exec(text);
    if (!list) return text;
    const classes = [
      ...list[1]
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
      migrationClass,
    ];
    const importLine = `import { ${migrationClass} } from './${names.__TIMESTAMP__}-${names.__names__}';\n`;
    const withList = text.replace(list[0], `export const MIGRATIONS = [\n${classes.map((name) => `  ${name},`).join('\n')}\n];`);
    return insertBefore(withList, /^\n?\/\*\*/m, importLine);
  });
  edit(root, 'libs/queue/src/events.ts', (text) => {
    const event = names.__EVENT__;
    let out = insertBefore(text, /^}\n\nexport type DomainEventType/m, `  '${event}': { ${names.__nameCamel__}Id: number; ownerId: number };\n`);
    out = out.replace(/(export const DOMAIN_EVENT_TYPES: readonly DomainEventType\[\] = \[[^\]]*)\];/, `$1, '${event}'];`);
    return out.replace(/(export function eventOwnerId[\s\S]*?)(\n {2}\}\n\})/, `$1\n    case '${event}':\n      return event.payload.ownerId;$2`);
  });
}

/** The files `register` edits, relative to the project's root. */
const REGISTERED_IN = ['apps/api/src/app.module.ts', 'libs/database/src/migrations/index.ts', 'libs/queue/src/events.ts'];

/** Writes the module's files and registers it; returns the files created and those edited, relative to `root`. */
export function generateModule(root, plural, singular) {
  const names = moduleNames(plural, singular);
  const moduleDir = join(root, 'apps/api/src/modules', names.__names__);
  if (existsSync(moduleDir)) throw new Error(`apps/api/src/modules/${names.__names__} already exists`);
  const files = templateFiles(TEMPLATE_DIR).map((template) => ({ template, target: destination(template, names) }));
  for (const { template, target } of files) {
    mkdirSync(dirname(join(root, target)), { recursive: true });
    writeFileSync(join(root, target), render(readFileSync(template, 'utf8'), names));
  }
  register(root, names);
  return { names, files: files.map((file) => file.target), edited: REGISTERED_IN };
}
