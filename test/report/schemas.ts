// Schema validators for reports: the official OASIS SARIF 2.1.0 schema (draft-04) and our JSON report schema.
import { readFileSync } from 'node:fs';
import AjvModule, { type ErrorObject } from 'ajv';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';

// These are CommonJS packages: under NodeNext the class is the default export's `default`.
const Ajv = AjvModule.default;
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

function messages(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

function readJson(relative: string): object {
  return JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as object;
}

function compileSarif(): (data: unknown) => string[] {
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(readJson('../schemas/sarif-schema-2.1.0.json'));
  return (data) => (validate(data) ? [] : messages(validate.errors));
}

function compileJsonReport(): (data: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(readJson('../../docs/json-report.schema.json'));
  return (data) => (validate(data) ? [] : messages(validate.errors));
}

/** Errors of a SARIF log against the OASIS schema; empty when valid. */
export const sarifErrors = compileSarif();

/** Errors of a JSON report against docs/json-report.schema.json; empty when valid. */
export const jsonReportErrors = compileJsonReport();
