'use client';

import type { JsonSchemaProperty } from '../graphql/operations';

function typeOf(p: JsonSchemaProperty): string {
  const t = Array.isArray(p.type) ? p.type.find((x) => x !== 'null') : p.type;
  return t ?? 'string';
}

function humanize(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());
}

/**
 * Fields generated from a provider's JSON Schema: enums become selects, booleans checkboxes,
 * numbers number inputs, secrets password inputs. Objects and arrays take JSON text.
 */
export function SchemaFields({
  idPrefix,
  schema,
  secretFields,
  values,
  onChange,
}: {
  idPrefix: string;
  schema: { properties?: Record<string, JsonSchemaProperty>; required?: string[] };
  secretFields: string[];
  values: Record<string, string | boolean>;
  onChange: (name: string, value: string | boolean) => void;
}) {
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, p]) => {
        const id = `${idPrefix}-${name}`;
        const type = typeOf(p);
        const label = `${humanize(name)}${required.has(name) ? '' : ' (optional)'}`;
        const hint = p.description ? (
          <p className="hint" id={`${id}-hint`}>
            {p.description}
          </p>
        ) : null;
        const described = p.description ? `${id}-hint` : undefined;
        if (type === 'boolean') {
          return (
            <label key={name} className="check">
              <input
                type="checkbox"
                checked={values[name] === true}
                onChange={(e) => onChange(name, e.target.checked)}
              />
              {label}
            </label>
          );
        }
        if (p.enum) {
          return (
            <div key={name} className="field">
              <label htmlFor={id}>{label}</label>
              <select
                id={id}
                value={String(values[name] ?? '')}
                onChange={(e) => onChange(name, e.target.value)}
                aria-describedby={described}
              >
                {required.has(name) ? null : <option value="">—</option>}
                {p.enum.map((v) => (
                  <option key={String(v)} value={String(v)}>
                    {String(v)}
                  </option>
                ))}
              </select>
              {hint}
            </div>
          );
        }
        const secret = p.secret || secretFields.includes(name);
        return (
          <div key={name} className="field">
            <label htmlFor={id}>{label}</label>
            <input
              id={id}
              type={
                secret
                  ? 'password'
                  : type === 'number' || type === 'integer'
                    ? 'number'
                    : p.format === 'email'
                      ? 'email'
                      : p.format === 'uri'
                        ? 'url'
                        : 'text'
              }
              className={type === 'object' || type === 'array' ? 'mono' : undefined}
              required={required.has(name)}
              autoComplete={secret ? 'new-password' : 'off'}
              placeholder={
                type === 'object'
                  ? '{"key": "value"}'
                  : type === 'array'
                    ? '["a", "b"]'
                    : p.default !== undefined
                      ? String(p.default)
                      : undefined
              }
              value={String(values[name] ?? '')}
              onChange={(e) => onChange(name, e.target.value)}
              aria-describedby={described}
            />
            {hint}
          </div>
        );
      })}
    </>
  );
}

/** Form values → the config object the api validates; returns an error message for bad JSON. */
export function toConfig(
  schema: { properties?: Record<string, JsonSchemaProperty> },
  values: Record<string, string | boolean>,
): Record<string, unknown> | string {
  const config: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(schema.properties ?? {})) {
    const v = values[name];
    if (v === undefined || v === '') continue;
    const type = typeOf(p);
    if (typeof v === 'boolean') config[name] = v;
    else if (type === 'number' || type === 'integer') config[name] = Number(v);
    else if (type === 'object' || type === 'array') {
      try {
        config[name] = JSON.parse(v);
      } catch {
        return `${humanize(name)} must be JSON, e.g. ${type === 'object' ? '{"key": "value"}' : '["a"]'}.`;
      }
    } else config[name] = v;
  }
  return config;
}
