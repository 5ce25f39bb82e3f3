// Shared set-up of the conformance tests: the official client pointed at a running Settle.
'use strict';

const assert = require('node:assert/strict');
const { Client } = require('@hubspot/api-client');

const basePath = process.env.SETTLE_BASE_URL;
const accessToken = process.env.SETTLE_TOKEN;
if (!basePath || !accessToken) {
  throw new Error('set SETTLE_BASE_URL and SETTLE_TOKEN to a running Settle and an API token');
}

// client returns the official client talking to Settle; no retries, so a failure shows at once.
function client() {
  return new Client({ accessToken, basePath: basePath.replace(/\/$/, ''), numberOfApiCallRetries: 0 });
}

// run is a tag unique to this run, so records of earlier runs never match.
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

// assertID checks that an id is a record id sent as a string.
function assertID(id) {
  assert.equal(typeof id, 'string');
  assert.match(id, /^[0-9]+$/);
}

// assertObject checks the shape every record answer has.
function assertObject(o) {
  assertID(o.id);
  assert.ok(o.createdAt instanceof Date && !Number.isNaN(o.createdAt.getTime()), 'createdAt is a date');
  assert.ok(o.updatedAt instanceof Date && !Number.isNaN(o.updatedAt.getTime()), 'updatedAt is a date');
  if ('hs_object_id' in o.properties) assert.equal(o.properties.hs_object_id, o.id);
}

module.exports = { client, run, assertID, assertObject };
