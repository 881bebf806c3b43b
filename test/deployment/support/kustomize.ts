import { join } from 'node:path';
import { runTool } from '@app/testing';
import { parseAllDocuments } from 'yaml';

export const KUBERNETES = join(__dirname, '../../../deploy/kubernetes');

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: any; data?: any };

/** `kubectl kustomize` of a kustomization, as the objects it would apply. */
export function build(kustomization: string): { yaml: string; objects: K8sObject[] } {
  const result = runTool('kubectl', ['kustomize', join(KUBERNETES, kustomization)]);
  if (result.status !== 0) throw new Error(`kubectl kustomize ${kustomization} failed:\n${result.stderr}`);
  return { yaml: result.stdout, objects: parseAllDocuments(result.stdout).map((doc) => doc.toJS() as K8sObject) };
}

export const named = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
