// Check the daemon's answers against docs/openapi.yaml, for
// tests/integration/t_openapi.sh.
//
//   node check-answers.js OPENAPI.json LIST
//
// OPENAPI.json is the document bundled as JSON.  Each line of LIST is
//   METHOD TEMPLATE STATUS CONTENT-TYPE FILE [REQUEST]
//                                  an answer to an operation, and the body
//                                  of the request that asked for it
//   SCHEMA NAME FILE               a value of a named schema
// An answer's status must be one the operation documents, its media type
// one the status documents, and a JSON body must match the documented
// schema (JSON Schema 2020-12, formats checked); the body of a request
// that succeeded must match the documented request body.  Every operation must
// have been answered with success at least once.  Prints each mismatch
// and exits 1 if there is one.
'use strict';

const fs = require('fs');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');

const [docFile, listFile] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(docFile, 'utf8'));

// The document's schemas as one schema of definitions, its references
// pointed there.
const COMPONENTS = '#/components/schemas/';
const DEFS = 'openapi.json#/$defs/';
function local(schema) {
  return JSON.parse(JSON.stringify(schema).split('"' + COMPONENTS)
    .join('"' + DEFS));
}
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi.json', $defs: local(doc.components.schemas) });

const compiled = new Map();
function validator(schema) {
  const key = JSON.stringify(schema);
  if (!compiled.has(key))
    compiled.set(key, ajv.compile(local(schema)));
  return compiled.get(key);
}

// A response as documented, following a reference to components.
function response(op, status) {
  let r = op.responses[status];
  if (r && r.$ref)
    r = doc.components.responses[r.$ref.split('/').pop()];
  return r;
}

function checkValue(schema, file, what = '') {
  const text = fs.readFileSync(file, 'utf8');
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return what + 'the body is not JSON: ' + text.slice(0, 200);
  }
  const validate = validator(schema);
  if (validate(value))
    return null;
  return what + ajv.errorsText(validate.errors, { separator: '\n    ' }) +
    '\n    in ' + text.slice(0, 400);
}

// The body of a request that succeeded against its documented schema.
function checkRequest(op, file) {
  const body = op.requestBody;
  if (fs.readFileSync(file, 'utf8') === '')
    return body && body.required ? 'no request body, but one is required'
      : null;
  if (!body || !body.content['application/json'])
    return 'a request body, but none is documented';
  return checkValue(body.content['application/json'].schema, file,
    'request: ');
}

function checkAnswer(method, template, status, type, file, request) {
  const item = doc.paths[template];
  const op = item && item[method.toLowerCase()];
  if (!op)
    return 'no such operation in the document';
  const r = response(op, status);
  if (!r)
    return 'status ' + status + ' is not documented';
  if (request && status.startsWith('2')) {
    const why = checkRequest(op, request);
    if (why !== null)
      return why;
  }
  if (status === '204')
    return null;
  const media = type.split(';')[0].trim().toLowerCase();
  if (!r.content || !r.content[media])
    return 'status ' + status + ' does not document ' + media;
  const schema = r.content[media].schema;
  if (media !== 'application/json')
    return null;
  return checkValue(schema, file);
}

let checked = 0;
let failed = 0;
const succeeded = new Set();
for (const line of fs.readFileSync(listFile, 'utf8').split('\n')) {
  const f = line.trim().split(/\s+/);
  let why;
  if (f[0] === '')
    continue;
  if (f[0] === 'SCHEMA')
    why = checkValue({ $ref: COMPONENTS + f[1] }, f[2]);
  else
    why = checkAnswer(f[0], f[1], f[2], f[3], f[4], f[5]);
  if (why === null && f[2].startsWith('2'))
    succeeded.add(f[0].toLowerCase() + ' ' + f[1]);
  checked++;
  if (why !== null) {
    failed++;
    console.log(f.slice(0, 3).join(' ') + ': ' + why);
  }
}
// An operation never answered with success was never checked at all.
for (const [path, item] of Object.entries(doc.paths))
  for (const method of Object.keys(item))
    if (item[method].responses && !succeeded.has(method + ' ' + path)) {
      failed++;
      console.log(method.toUpperCase() + ' ' + path +
        ': never answered with success, so never checked');
    }
console.log(checked + ' answers checked, ' + failed + ' not as documented');
process.exit(failed === 0 && checked > 0 ? 0 : 1);
