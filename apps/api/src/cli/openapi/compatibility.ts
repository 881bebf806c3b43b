/**
 * Which differences between two versions of the OpenAPI document break
 * existing clients. A client written against `previous` must keep working
 * against `next`: everything it calls still exists and answers the same
 * success status, nothing it may send becomes required or is ignored, and
 * nothing it relies on in a success response disappears or changes type.
 * Additions (new paths, operations, optional inputs, response fields) are fine.
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
};
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema> };
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/** Every breaking change from `previous` to `next`, one sentence each, sorted. */
export function findBreakingChanges(previous: OpenApiDocument, next: OpenApiDocument): string[] {
  const changes = new Set<string>();
  const compare = new SchemaComparison(previous, next, changes);
  for (const [path, previousItem] of Object.entries(previous.paths)) {
    const nextItem = next.paths[path];
    if (!nextItem) {
      changes.add(`removed path ${path}`);
      continue;
    }
    for (const method of HTTP_METHODS) {
      const before = previousItem[method] as Operation | undefined;
      if (!before) continue;
      const after = nextItem[method] as Operation | undefined;
      const operation = `${method.toUpperCase()} ${path}`;
      if (!after) {
        changes.add(`removed operation ${operation}`);
        continue;
      }
      compareParameters(operation, before, after, compare, changes);
      compareRequestBody(operation, before, after, compare, changes);
      compareResponses(operation, before, after, compare, changes);
    }
  }
  return [...changes].sort();
}

function compareParameters(operation: string, before: Operation, after: Operation, compare: SchemaComparison, changes: Set<string>): void {
  const key = (parameter: Parameter) => `${parameter.in} parameter "${parameter.name}"`;
  const previous = new Map((before.parameters ?? []).map((parameter) => [key(parameter), parameter]));
  for (const parameter of after.parameters ?? []) {
    const old = previous.get(key(parameter));
    if (!old) {
      if (parameter.required) changes.add(`${operation}: new required ${key(parameter)}`);
      continue;
    }
    if (parameter.required && !old.required) changes.add(`${operation}: ${key(parameter)} became required`);
    compare.root(`${operation}: ${key(parameter)}`, old.schema, parameter.schema, 'request');
    previous.delete(key(parameter));
  }
  for (const removed of previous.keys()) changes.add(`${operation}: removed ${removed}`);
}

function compareRequestBody(operation: string, before: Operation, after: Operation, compare: SchemaComparison, changes: Set<string>): void {
  const previous = jsonSchema(before.requestBody?.content);
  const next = jsonSchema(after.requestBody?.content);
  if (!before.requestBody && after.requestBody?.required) changes.add(`${operation}: now requires a request body`);
  if (previous && next) compare.root(`${operation}: request body`, previous, next, 'request');
}

function compareResponses(operation: string, before: Operation, after: Operation, compare: SchemaComparison, changes: Set<string>): void {
  for (const [status, response] of Object.entries(before.responses ?? {})) {
    if (!status.startsWith('2')) continue;
    const nextResponse = after.responses?.[status];
    if (!nextResponse) {
      changes.add(`${operation}: no longer answers ${status}`);
      continue;
    }
    const previous = jsonSchema(response.content);
    const next = jsonSchema(nextResponse.content);
    if (previous && !next) changes.add(`${operation}: ${status} response no longer has a JSON body`);
    if (previous && next) compare.root(`${operation}: ${status} response`, previous, next, 'response');
  }
}

function jsonSchema(content: Record<string, { schema?: Schema }> | undefined): Schema | undefined {
  return content?.['application/json']?.schema;
}

/** Walks two schemas side by side, resolving $refs in each document and stopping at recursion. */
class SchemaComparison {
  private readonly visited = new Set<string>();

  constructor(
    private readonly previous: OpenApiDocument,
    private readonly next: OpenApiDocument,
    private readonly changes: Set<string>,
  ) {}

  /** Compares one operation's parameter, request or response schema; each is reported on its own. */
  root(location: string, previous: Schema | undefined, next: Schema | undefined, direction: 'request' | 'response'): void {
    this.visited.clear();
    this.schemas(location, previous, next, direction);
  }

  private schemas(location: string, previous: Schema | undefined, next: Schema | undefined, direction: 'request' | 'response'): void {
    const before = flatten(previous, this.previous);
    const after = flatten(next, this.next);
    if (!before || !after) return;
    // Within one root, a named schema pair is compared once, so recursive schemas end.
    if (previous?.$ref && next?.$ref) {
      const pair = `${direction}|${previous.$ref}|${next.$ref}`;
      if (this.visited.has(pair)) return;
      this.visited.add(pair);
    }

    if (before.type && after.type && before.type !== after.type) {
      this.changes.add(`${location}: type changed from ${before.type} to ${after.type}`);
      return;
    }
    if (before.items || after.items) this.schemas(`${location}[]`, before.items, after.items, direction);

    const previousRequired = new Set(before.required ?? []);
    const nextRequired = new Set(after.required ?? []);
    for (const [name, schema] of Object.entries(before.properties ?? {})) {
      const field = `${location}: field "${name}"`;
      const nextSchema = after.properties?.[name];
      if (direction === 'response') {
        // Clients may rely on what was always there; optional fields could be absent before too.
        if (previousRequired.has(name) && !nextSchema) this.changes.add(`${field} removed`);
        else if (previousRequired.has(name) && !nextRequired.has(name)) this.changes.add(`${field} is no longer always present`);
      } else if (!nextSchema && after.properties) {
        // The validation pipe strips unknown fields: what clients send would be silently ignored.
        this.changes.add(`${field} removed (clients sending it would be ignored)`);
      }
      if (nextSchema) this.schemas(`${location}.${name}`, schema, nextSchema, direction);
    }
    if (direction === 'request') {
      for (const name of nextRequired) {
        if (!previousRequired.has(name)) this.changes.add(`${location}: field "${name}" is now required`);
      }
    }
  }
}

/** A schema with its $ref resolved and `allOf` parts merged (what Nest emits for DTO inheritance). */
function flatten(schema: Schema | undefined, document: OpenApiDocument, depth = 0): Schema | undefined {
  if (!schema || depth > 20) return schema;
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return flatten(document.components?.schemas?.[name], document, depth + 1);
  }
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map((part) => flatten(part, document, depth + 1) ?? {});
  return {
    ...schema,
    allOf: undefined,
    type: schema.type ?? parts.find((part) => part.type)?.type,
    properties: Object.assign({}, ...parts.map((part) => part.properties), schema.properties) as Schema['properties'],
    required: [...new Set([...parts.flatMap((part) => part.required ?? []), ...(schema.required ?? [])])],
  };
}
