#!/usr/bin/env node
/**
 * Checks every object of a multi-document manifest (e.g. `kubectl kustomize` output) against the
 * Kubernetes OpenAPI schemas bundled in the `kubernetes-models` npm package (offline).
 * Usage: validate-kubernetes.mjs FILE  -> prints [{ apiVersion, kind, name, errors }] as JSON.
 * (An .mjs of its own because kubernetes-models is ESM-only and Jest runs CommonJS.)
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const results = [];
for (const document of parseAllDocuments(readFileSync(process.argv[2], 'utf8'))) {
  const object = document.toJS();
  if (!object) continue;
  const { apiVersion, kind } = object;
  const entry = { apiVersion, kind, name: object.metadata?.name, errors: [] };
  try {
    const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
    new module[kind](object).validate();
  } catch (error) {
    entry.errors.push(
      error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' ? `no schema for ${apiVersion} ${kind}` : error.message,
    );
  }
  results.push(entry);
}
process.stdout.write(JSON.stringify(results));
