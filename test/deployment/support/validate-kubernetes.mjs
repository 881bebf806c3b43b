#!/usr/bin/env node
/**
 * Checks every object of a multi-document manifest (e.g. `kubectl kustomize` output) against the
 * Kubernetes OpenAPI schemas bundled in the `kubernetes-models` npm package (offline).
 * Usage: validate-kubernetes.mjs FILE  -> prints [{ apiVersion, kind, name, errors }] as JSON.
 * (An .mjs of its own because kubernetes-models is ESM-only and Jest runs CommonJS.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';

/**
 * Kinds of operators, checked against the openAPIV3Schema of the operator's own CRDs: CloudNativePG
 * 1.30.0's, read from the reference copy beside the project (../shared/cloudnative-pg, its
 * SOURCE.txt says where they come from) or CNPG_CRD_DIR.
 */
const CNPG_CRD_DIR = process.env.CNPG_CRD_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/cloudnative-pg');
const CRD_FILES = { 'postgresql.cnpg.io/v1': { Cluster: 'postgresql.cnpg.io_clusters.yaml', Pooler: 'postgresql.cnpg.io_poolers.yaml' } };
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

/** Errors of `object` against its CRD's schema, or undefined when no CRD describes its kind. */
function crdErrors(object) {
  const file = CRD_FILES[object.apiVersion]?.[object.kind];
  if (file === undefined) return undefined;
  const path = join(CNPG_CRD_DIR, file);
  if (!existsSync(path)) return [`no schema for ${object.apiVersion} ${object.kind}: CRD not found at ${path} (set CNPG_CRD_DIR)`];
  const version = object.apiVersion.split('/')[1];
  const schema = parse(readFileSync(path, 'utf8')).spec.versions.find((v) => v.name === version).schema.openAPIV3Schema;
  const validate = ajv.compile(schema);
  return validate(object) ? [] : validate.errors.map((error) => `${error.instancePath || '/'} ${error.message}`);
}

const results = [];
for (const document of parseAllDocuments(readFileSync(process.argv[2], 'utf8'))) {
  const object = document.toJS();
  if (!object) continue;
  const { apiVersion, kind } = object;
  const entry = { apiVersion, kind, name: object.metadata?.name, errors: [] };
  const fromCrd = crdErrors(object);
  if (fromCrd !== undefined) {
    entry.errors.push(...fromCrd);
    results.push(entry);
    continue;
  }
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
