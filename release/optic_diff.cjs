// `optic diff OLD NEW --validation loose --json`, from Optic's own modules without its command line.
//
// Usage: node release/optic_diff.cjs OLD NEW. Prints Optic's JSON changelog (the same bytes as the command, which
// tests/release/test_release_rules.py checks); exit 1 with the reason on stderr when a document cannot be read.
// Why not the `optic` command: it loads every command it has (the capture proxy, TLS set-up, telemetry) and runs its
// breaking-change ruleset, whose results the JSON changelog leaves out. That took 4.1 s of CPU per diff; this 1.0 s.
// The steps are the command's own (commands/diff/diff.js and compute.js of @useoptic/optic, pinned in
// generator/package.json): load, check (loose) and denormalize each document, diff, group by endpoint, render JSON.
'use strict';

const path = require('node:path');
const { createRequire } = require('node:module');

const requireTool = createRequire(path.join(__dirname, '..', 'generator', 'package.json'));
const io = requireTool('@useoptic/openapi-io');
const { diff } = requireTool('@useoptic/openapi-utilities/build/diff/diff');
const { groupDiffsByEndpoint } = requireTool('@useoptic/openapi-utilities');
const { jsonChangelog } = requireTool('@useoptic/optic/build/commands/diff/changelog-renderers/json-changelog');

async function load(file) {
  const parsed = await io.parseOpenAPIWithSourcemap(path.resolve(file), { externalRefHeaders: [] });
  const version = io.checkOpenAPIVersion(parsed.jsonLike);
  io.validateOpenApiV3Document(parsed.jsonLike, parsed.sourcemap, { strictOpenAPI: false });
  return io.denormalize({ ...parsed, version }, version, []);
}

async function main([oldFile, newFile]) {
  const [from, to] = await Promise.all([load(oldFile), load(newFile)]);
  const specs = { from: from.jsonLike, to: to.jsonLike };
  const changelog = groupDiffsByEndpoint(specs, diff(specs.from, specs.to), []);
  process.stdout.write(`${JSON.stringify(jsonChangelog(specs, changelog))}\n`);
}

if (process.argv.length !== 4) {
  process.stderr.write('usage: node release/optic_diff.cjs OLD NEW\n');
  process.exit(2);
}
main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
