// The official client's v4 association and association label calls against Settle, between
// contacts, companies and deals. Every call must resolve, and what it returns is checked.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { client, run, assertObject } = require('./settle');

const hubspot = client();
const v4 = hubspot.crm.associations.v4;

// One contact, three companies and two deals to associate.
let contact;
let companies;
let deals;

before(async () => {
  contact = await hubspot.crm.contacts.basicApi.create({ properties: { email: `linked.${run}@example.com` } });
  assertObject(contact);
  const c = await hubspot.crm.companies.batchApi.create({ inputs: [1, 2, 3].map((i) => ({ properties: { name: `linked${i} ${run}` }, associations: [] })) });
  companies = c.results.map((r) => r.id).sort((a, b) => a - b);
  const d = await hubspot.crm.deals.batchApi.create({ inputs: [1, 2].map((i) => ({ properties: { dealname: `linked${i} ${run}` }, associations: [] })) });
  deals = d.results.map((r) => r.id).sort((a, b) => a - b);
  assert.equal(companies.length, 3);
  assert.equal(deals.length, 2);
});

test('labels: definitionsApi getAll, create, update, and a labelled association', async () => {
  const defs = v4.schema.definitionsApi;
  const builtin = await defs.getAll('contacts', 'companies');
  assert.ok(builtin.results.some((l) => l.category === 'HUBSPOT_DEFINED' && l.typeId === 279 && l.label == null), 'the default type is listed');
  assert.ok(builtin.results.some((l) => l.typeId === 1 && l.label === 'Primary'), 'the primary label is listed');

  const created = await defs.create('contacts', 'companies', { label: `Billing ${run}`, name: `billing_${run}`, inverseLabel: `Billed ${run}` });
  const label = created.results.find((l) => l.label === `Billing ${run}`);
  assert.ok(label, 'the new label is returned');
  assert.equal(label.category, 'USER_DEFINED');

  await defs.update('contacts', 'companies', { associationTypeId: label.typeId, label: `Billing contact ${run}`, inverseLabel: `Billed ${run}` });
  const listed = await defs.getAll('contacts', 'companies');
  assert.ok(listed.results.some((l) => l.typeId === label.typeId && l.label === `Billing contact ${run}`), 'the label was renamed');

  const linked = await v4.basicApi.create('contacts', contact.id, 'companies', companies[0],
    [{ associationCategory: 'USER_DEFINED', associationTypeId: label.typeId }]);
  assert.equal(linked.fromObjectTypeId, '0-1');
  assert.equal(linked.fromObjectId, contact.id);
  assert.equal(linked.toObjectTypeId, '0-2');
  assert.equal(String(linked.toObjectId), companies[0]);
  assert.deepEqual(linked.labels, [`Billing contact ${run}`]);

  const seen = await v4.basicApi.getPage('companies', companies[0], 'contacts');
  assert.equal(seen.results.length, 1);
  assert.equal(String(seen.results[0].toObjectId), contact.id);
  assert.ok(seen.results[0].associationTypes.some((t) => t.category === 'USER_DEFINED' && t.label === `Billed ${run}`), 'the inverse label is seen from the company');

  await defs.remove('contacts', 'companies', label.typeId);
  const after = await defs.getAll('contacts', 'companies');
  assert.ok(!after.results.some((l) => l.typeId === label.typeId), 'the label is gone');
  const unlabelled = await v4.basicApi.getPage('contacts', contact.id, 'companies');
  assert.ok(!unlabelled.results.some((r) => r.associationTypes.some((t) => t.typeId === label.typeId)), 'associations with the label are gone');
});

test('basicApi: createDefault, getPage with paging, archive', async () => {
  for (const id of companies) {
    const out = await v4.basicApi.createDefault('contacts', contact.id, 'companies', id);
    assert.equal(out.status, 'COMPLETE');
    assert.equal(out.results.length, 1);
    assert.equal(out.results[0]._from.id, contact.id);
    assert.equal(out.results[0].to.id, id);
    assert.equal(out.results[0].associationSpec.associationTypeId, 279);
    assert.equal(out.results[0].associationSpec.associationCategory, 'HUBSPOT_DEFINED');
  }

  const seen = [];
  let after;
  let pages = 0;
  do {
    const page = await v4.basicApi.getPage('contacts', contact.id, 'companies', after, 2);
    assert.ok(page.results.length <= 2);
    for (const r of page.results) {
      assert.ok(r.associationTypes.some((t) => t.typeId === 279 && t.category === 'HUBSPOT_DEFINED'));
      seen.push(String(r.toObjectId));
    }
    after = page.paging?.next?.after;
    pages++;
  } while (after);
  assert.equal(pages, 2);
  assert.deepEqual(seen.sort((a, b) => a - b), companies);

  await v4.basicApi.archive('contacts', contact.id, 'companies', companies[2]);
  const left = await v4.basicApi.getPage('contacts', contact.id, 'companies', undefined, 500);
  assert.deepEqual(left.results.map((r) => String(r.toObjectId)).sort((a, b) => a - b), companies.slice(0, 2));

  const got = await hubspot.crm.contacts.basicApi.getById(contact.id, ['email'], undefined, ['companies']);
  assert.deepEqual([...new Set(got.associations.companies.results.map((r) => r.id))].sort((a, b) => a - b), companies.slice(0, 2));
});

test('batchApi: create, getPage, archive', async () => {
  const created = await v4.batchApi.create('deals', 'contacts', {
    inputs: deals.map((id) => ({ _from: { id }, to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] })),
  });
  assert.equal(created.status, 'COMPLETE');
  assert.equal(created.results.length, 2);
  for (const r of created.results) {
    assert.equal(r.fromObjectTypeId, '0-3');
    assert.equal(r.toObjectTypeId, '0-1');
    assert.equal(String(r.toObjectId), contact.id);
  }

  const read = await v4.batchApi.getPage('contacts', 'deals', { inputs: [{ id: contact.id }] });
  assert.equal(read.status, 'COMPLETE');
  assert.equal(read.results.length, 1);
  assert.equal(read.results[0]._from.id, contact.id);
  assert.deepEqual(read.results[0].to.map((t) => String(t.toObjectId)).sort((a, b) => a - b), deals);
  for (const t of read.results[0].to) assert.ok(t.associationTypes.some((a) => a.typeId === 4), 'seen from the contact as contact_to_deal');

  await v4.batchApi.archive('contacts', 'deals', { inputs: [{ _from: { id: contact.id }, to: deals.map((id) => ({ id })) }] });
  const gone = await v4.basicApi.getPage('deals', deals[0], 'contacts');
  assert.deepEqual(gone.results, []);
});

test('batchApi: createDefault and archiveLabels', async () => {
  const made = await v4.batchApi.createDefault('deals', 'companies', { inputs: deals.map((id) => ({ _from: { id }, to: { id: companies[1] } })) });
  assert.equal(made.status, 'COMPLETE');
  assert.deepEqual(made.results.map((r) => r._from.id).sort((a, b) => a - b), deals);
  for (const r of made.results) assert.equal(r.associationSpec.associationTypeId, 341);

  const primary = { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 };
  await v4.batchApi.create('deals', 'companies', { inputs: [{ _from: { id: deals[0] }, to: { id: companies[1] }, types: [primary] }] });
  const labelled = await v4.basicApi.getPage('deals', deals[0], 'companies');
  assert.deepEqual(labelled.results[0].associationTypes.map((t) => t.typeId).sort((a, b) => a - b), [5, 341]);

  await v4.batchApi.archiveLabels('deals', 'companies', { inputs: [{ _from: { id: deals[0] }, to: { id: companies[1] }, types: [primary] }] });
  const unlabelled = await v4.basicApi.getPage('deals', deals[0], 'companies');
  assert.deepEqual(unlabelled.results[0].associationTypes.map((t) => t.typeId), [341]);
});
