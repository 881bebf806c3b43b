import fc from 'fast-check';

/** The parts of an OpenAPI 3.0 schema the generators read. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  nullable?: boolean;
  example?: unknown;
  allOf?: Schema[];
}

/** Strings meant to hurt: empty, blank, huge, NUL, lone surrogates, injections, odd Unicode. */
const nastyString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\uD800',
    'x\uDFFFy',
    '\u202Eevil',
    '\u{1F409}'.repeat(200),
    'e\u0301'.repeat(100),
    "' OR '1'='1",
    '1; DROP TABLE users; --',
    '$where: 1',
    '<script>alert(1)</script>',
    '../../../../etc/passwd',
    '%00%2e%2e',
    '${jndi:ldap://x/a}',
    'x'.repeat(70_000),
    '\r\nSet-Cookie: a=b',
  ),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
);

/** Numbers at and beyond every boundary a validator or a PostgreSQL column has. */
const boundaryNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.5, -0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 63), 1e308, -1e308, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, hostile by preference. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: boundaryNumber },
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(nastyString, boundaryNumber), { maxLength: 30 }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(nastyString, boundaryNumber), { maxKeys: 5 }),
  fc.constant({ $ne: null }),
);

/**
 * A value for `schema`: valid often enough to get past validation and reach
 * the services and the database, and otherwise wrong in type, range, length
 * or shape; objects lose required fields and gain unknown ones.
 */
export function valueFor(schema: Schema | undefined, resolve: (ref: string) => Schema, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return hostileValue;
  if (schema.$ref) return valueFor(resolve(schema.$ref), resolve, depth + 1);
  if (schema.allOf) return valueFor(Object.assign({}, ...schema.allOf.map((part) => (part.$ref ? resolve(part.$ref) : part))), resolve, depth + 1);
  return fc.oneof(
    { weight: 3, arbitrary: plausible(schema, resolve, depth) },
    { weight: 2, arbitrary: fromExamples(schema, resolve, depth) },
    { weight: 1, arbitrary: hostileValue },
  );
}

/**
 * A valid value built from the document's examples, made unique where the API
 * wants unique values (usernames, emails), so requests get past validation and
 * exercise the services and the database, not only the validators.
 */
function fromExamples(schema: Schema, resolve: (ref: string) => Schema, depth: number): fc.Arbitrary<unknown> {
  if (schema.$ref) return fromExamples(resolve(schema.$ref), resolve, depth + 1);
  if (depth > 6) return fc.constant(schema.example ?? null);
  if (schema.type === 'object' || schema.properties) {
    const properties = Object.entries(schema.properties ?? {});
    return fc
      .tuple(...properties.map(([, property]) => fromExamples(property, resolve, depth + 1)))
      .map((values) => Object.fromEntries(properties.map(([name], i) => [name, values[i]])));
  }
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.type === 'array')
    return schema.example !== undefined ? fc.constant(schema.example) : fc.array(fromExamples(schema.items ?? {}, resolve, depth + 1), { maxLength: 3 });
  if (schema.type === 'string' && typeof schema.example === 'string' && !/^https?:/.test(schema.example)) {
    const example = schema.example;
    return fc.stringMatching(/^[a-z0-9]{6}$/).map((prefix) => `${prefix}${example}`.slice(0, schema.maxLength ?? 10_000));
  }
  return fc.constant(schema.example ?? (schema.type === 'string' ? 'text' : schema.type === 'boolean' ? true : schema.type === 'array' ? [] : 1));
}

function plausible(schema: Schema, resolve: (ref: string) => Schema, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), nastyString);
  switch (schema.type) {
    case 'string': {
      const max = schema.maxLength ?? 200;
      return fc.oneof(
        fc.string({ minLength: Math.max(1, schema.minLength ?? 1), maxLength: Math.min(max, 60), unit: 'grapheme' }),
        fc.constant('b'.repeat(max)),
        fc.constant('b'.repeat(max + 1)),
        schema.format === 'email' ? fc.emailAddress() : nastyString,
        schema.format === 'uri' ? fc.webUrl() : nastyString,
      );
    }
    case 'number':
    case 'integer':
      return fc.oneof(
        fc.integer({ min: schema.minimum ?? -10, max: Math.min(schema.maximum ?? 1000, 1000) }),
        fc.constantFrom(...[schema.minimum ?? 0, schema.maximum ?? 2 ** 31].flatMap((n) => [n - 1, n, n + 1])),
        boundaryNumber,
      );
    case 'boolean':
      return fc.oneof(fc.boolean(), fc.constantFrom('true', 1, null));
    case 'array':
      return fc.oneof(
        fc.array(valueFor(schema.items, resolve, depth + 1), { maxLength: Math.min(schema.maxItems ?? 5, 5) }),
        fc.array(fc.constant('t'), { minLength: (schema.maxItems ?? 20) + 1, maxLength: (schema.maxItems ?? 20) + 1 }),
      );
    case 'object':
    default: {
      const properties = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      return fc
        .tuple(
          fc.tuple(...properties.map(([, property]) => fc.tuple(fc.boolean(), valueFor(property, resolve, depth + 1)))),
          fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), hostileValue, { maxKeys: 2 }),
          fc.boolean(),
        )
        .map(([values, extra, wellFormed]) => {
          // Well formed: every required field present, nothing unknown. Otherwise anything may be missing or extra.
          const object: Record<string, unknown> = wellFormed ? {} : { ...extra };
          properties.forEach(([name], i) => {
            const [present, value] = values[i];
            if (present || (wellFormed && required.has(name))) object[name] = value;
          });
          return object;
        });
    }
  }
}

/**
 * Encodes a path or query value; text that is not valid Unicode goes as invalid UTF-8 bytes.
 * At most 1,500 characters, so a URL stays within what clients and the gateway send (8 KiB);
 * longer request lines are refused by the HTTP layer before the API sees them.
 */
export function encodeParameter(value: unknown): string {
  const text = typeof value === 'string' ? value.slice(0, 1500) : (JSON.stringify(value) ?? '').slice(0, 1500);
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  const encoded = loneSurrogate.test(text) ? `%ED%A0%80${encodeURIComponent(text.replace(loneSurrogate, ''))}%FF` : encodeURIComponent(text);
  return encoded.slice(0, 1500).replace(/%[0-9A-F]?$/, '');
}

/** A path segment: never empty and never "." or "..", which would address another route. */
export function encodePathSegment(value: unknown): string {
  const encoded = encodeParameter(value);
  return encoded === '' ? '%20' : encoded.replace(/^\.{1,2}$/, (dots) => '%2E'.repeat(dots.length));
}
