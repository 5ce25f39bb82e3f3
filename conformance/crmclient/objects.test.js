// The official client's object, batch, search and property calls against Settle, for
// contacts, companies and deals. Every call must resolve, and what it returns is checked.
'use strict';

const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');
const { client, run, assertID, assertObject } = require('./settle');

const hubspot = client();
const hour = 3600 * 1000;

// Records every type's created record is associated with, made before the types' tests.
const anchor = {};

// Each type: how to make its i-th record, a change to make, the association to create with it
// (to an anchor) and a search that finds this run's records.
const types = [
  {
    name: 'contacts',
    id: '0-1',
    api: () => hubspot.crm.contacts,
    props: (i) => ({ email: `person${i}.${run}@example.com`, firstname: `first${i}`, lastname: `last${i}` }),
    change: { lastname: 'Lovelace' },
    changed: 'lastname',
    link: { to: 'companies', typeId: 279, type: 'contact_to_company' },
    token: () => ({ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: `*.${run}@example.com` }),
    sortBy: 'email',
  },
  {
    name: 'companies',
    id: '0-2',
    api: () => hubspot.crm.companies,
    props: (i) => ({ name: `company${i} ${run}`, domain: `c${i}.${run}.example.com` }),
    change: { industry: 'Banking' },
    changed: 'industry',
    link: { to: 'contacts', typeId: 280, type: 'company_to_contact' },
    token: () => ({ propertyName: 'domain', operator: 'CONTAINS_TOKEN', value: `*.${run}.example.com` }),
    sortBy: 'domain',
  },
  {
    name: 'deals',
    id: '0-3',
    api: () => hubspot.crm.deals,
    props: (i) => ({
      dealname: `deal${i} ${run}`, amount: String(100 * (i + 1)), dealstage: 'appointmentscheduled', pipeline: 'default',
      closedate: new Date(Date.UTC(2030, 0, 1 + i)).toISOString(),
    }),
    change: { amount: '1234.5', dealstage: 'closedwon' },
    changed: 'amount',
    link: { to: 'companies', typeId: 341, type: 'deal_to_company' },
    token: () => ({ propertyName: 'dealname', operator: 'CONTAINS_TOKEN', value: `* ${run}` }),
    sortBy: 'dealname',
  },
];

before(async () => {
  anchor.companies = await hubspot.crm.companies.basicApi.create({ properties: { name: `Anchor ${run}` } });
  anchor.contacts = await hubspot.crm.contacts.basicApi.create({ properties: { email: `anchor.${run}@example.com` } });
  assertObject(anchor.companies);
  assertObject(anchor.contacts);
});

for (const t of types) {
  describe(t.name, () => {
    test('create, getById with properties, history and associations, update, archive', async () => {
      const props = t.props(0);
      const created = await t.api().basicApi.create({
        properties: props,
        associations: [{ to: { id: anchor[t.link.to].id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: t.link.typeId }] }],
      });
      assertObject(created);
      assert.equal(created.archived, false);
      for (const [k, v] of Object.entries(props)) {
        if (k === 'closedate') assert.equal(new Date(created.properties[k]).getTime(), new Date(v).getTime(), k);
        else if (k === 'amount') assert.equal(Number(created.properties[k]), Number(v), k);
        else assert.equal(created.properties[k], v, k);
      }

      const updated = await t.api().basicApi.update(created.id, { properties: t.change });
      assert.equal(updated.id, created.id);
      for (const [k, v] of Object.entries(t.change)) assert.equal(updated.properties[k], v, k);
      assert.ok(updated.updatedAt >= created.updatedAt);

      const names = [...Object.keys(props), t.changed];
      const got = await t.api().basicApi.getById(created.id, names, [t.changed], [t.link.to]);
      assertObject(got);
      assert.equal(got.properties[t.changed], t.change[t.changed]);
      const history = got.propertiesWithHistory[t.changed];
      assert.equal(history[0].value, t.change[t.changed], 'newest value first');
      assert.ok(history[0].timestamp instanceof Date);
      const links = got.associations[t.link.to].results;
      assert.deepEqual(links.map((l) => [l.id, l.type]), [[anchor[t.link.to].id, t.link.type]]);

      const generic = await hubspot.crm.objects.basicApi.getById(t.id, created.id, [t.changed]);
      assert.equal(generic.id, created.id);
      assert.equal(generic.properties[t.changed], t.change[t.changed]);

      await t.api().basicApi.archive(created.id);
      await assert.rejects(t.api().basicApi.getById(created.id),
        (e) => e.code === 404 && e.body.category === 'OBJECT_NOT_FOUND' && e.body.status === 'error');
      const archived = await t.api().basicApi.getById(created.id, undefined, undefined, undefined, true);
      assert.equal(archived.archived, true);
      assert.ok(archived.archivedAt instanceof Date);
    });

    test('getPage pages through every record, and getAll does too', async () => {
      const link = { to: { id: anchor[t.link.to].id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: t.link.typeId }] };
      const made = await t.api().batchApi.create({ inputs: [1, 2, 3, 4, 5, 6, 7].map((i) => ({ properties: t.props(i), associations: [link] })) });
      assert.equal(made.status, 'COMPLETE');
      assert.equal(made.results.length, 7);
      const seen = new Map();
      let after;
      let pages = 0;
      do {
        const page = await t.api().basicApi.getPage(3, after, [t.sortBy, t.changed], [t.sortBy], [t.link.to], false);
        assert.ok(page.results.length <= 3, 'a page holds at most limit records');
        for (const r of page.results) {
          assertObject(r);
          assert.ok(!seen.has(r.id), `record ${r.id} seen twice`);
          if (r.properties[t.sortBy] != null) assert.equal(r.propertiesWithHistory[t.sortBy][0].value, r.properties[t.sortBy]);
          seen.set(r.id, r);
        }
        after = page.paging?.next?.after;
        pages++;
      } while (after);
      assert.ok(pages >= 3, `7 records at 3 a page take at least 3 pages, got ${pages}`);
      for (const r of made.results) {
        const listed = seen.get(r.id);
        assert.equal(listed?.properties[t.sortBy], r.properties[t.sortBy]);
        assert.deepEqual(listed.associations[t.link.to].results.map((l) => [l.id, l.type]), [[anchor[t.link.to].id, t.link.type]]);
      }

      const all = new Map((await t.api().getAll(undefined, undefined, [t.sortBy])).map((r) => [r.id, r]));
      for (const [id, r] of seen) assert.equal(all.get(id)?.properties[t.sortBy], r.properties[t.sortBy]);
    });

    test('batch create, read, update, archive', async () => {
      const made = await t.api().batchApi.create({ inputs: [8, 9, 10].map((i) => ({ properties: t.props(i), associations: [] })) });
      assert.equal(made.status, 'COMPLETE');
      const ids = made.results.map((r) => r.id);
      ids.forEach(assertID);
      assert.deepEqual(made.results.map((r) => r.properties[t.sortBy]).sort(), [8, 9, 10].map((i) => t.props(i)[t.sortBy]).sort());

      const read = await t.api().batchApi.read({ inputs: ids.map((id) => ({ id })), properties: [t.sortBy, t.changed], propertiesWithHistory: [t.sortBy] });
      assert.equal(read.status, 'COMPLETE');
      assert.deepEqual(read.results.map((r) => r.id).sort(), [...ids].sort());
      for (const r of read.results) assert.equal(r.propertiesWithHistory[t.sortBy].length, 1);

      const changed = await t.api().batchApi.update({ inputs: ids.map((id) => ({ id, properties: t.change })) });
      assert.equal(changed.results.length, 3);
      for (const r of changed.results) assert.equal(r.properties[t.changed], t.change[t.changed]);

      await t.api().batchApi.archive({ inputs: ids.map((id) => ({ id })) });
      const gone = await t.api().batchApi.read({ inputs: ids.map((id) => ({ id })), properties: [t.sortBy], propertiesWithHistory: [] });
      assert.equal(gone.results.length, 0);
      assert.equal(gone.numErrors, 1);
      assert.deepEqual([...gone.errors[0].context.ids].sort(), [...ids].sort());
      const archived = await t.api().batchApi.read({ inputs: ids.map((id) => ({ id })), properties: [t.sortBy], propertiesWithHistory: [] }, true);
      assert.equal(archived.results.length, 3);
      for (const r of archived.results) assert.equal(r.archived, true);
    });

    test('search with filter groups and a sort', async () => {
      const mine = t.token();
      const recent = { propertyName: 'hs_createdate', operator: 'BETWEEN', value: String(Date.now() - hour), highValue: String(Date.now() + hour) };
      const wanted = [1, 3, 5].map((i) => t.props(i)[t.sortBy]);
      const other = t.props(7)[t.sortBy];
      const found = await t.api().searchApi.doSearch({
        filterGroups: [
          { filters: [mine, { propertyName: t.sortBy, operator: 'IN', values: wanted }] },
          { filters: [mine, recent, { propertyName: t.sortBy, operator: 'EQ', value: other }] },
        ],
        sorts: [{ propertyName: t.sortBy, direction: 'DESCENDING' }],
        properties: [t.sortBy],
        limit: 3,
      });
      assert.equal(found.total, 4);
      assert.equal(found.results.length, 3);
      const all = [...wanted, other].sort().reverse();
      assert.deepEqual(found.results.map((r) => r.properties[t.sortBy]), all.slice(0, 3));
      assert.equal(found.paging.next.after, '3');

      const rest = await t.api().searchApi.doSearch({
        filterGroups: [
          { filters: [mine, { propertyName: t.sortBy, operator: 'IN', values: wanted }] },
          { filters: [mine, recent, { propertyName: t.sortBy, operator: 'EQ', value: other }] },
        ],
        sorts: [{ propertyName: t.sortBy, direction: 'DESCENDING' }],
        properties: [t.sortBy],
        limit: 3,
        after: found.paging.next.after,
      });
      assert.deepEqual(rest.results.map((r) => r.properties[t.sortBy]), all.slice(3));
      assert.equal(rest.paging, undefined);
    });
  });
}

test('deals search: BETWEEN on close dates, sorted ascending', async () => {
  const found = await hubspot.crm.deals.searchApi.doSearch({
    filterGroups: [{
      filters: [
        { propertyName: 'dealname', operator: 'CONTAINS_TOKEN', value: `* ${run}` },
        { propertyName: 'closedate', operator: 'BETWEEN', value: '2030-01-03T00:00:00.000Z', highValue: String(Date.UTC(2030, 0, 5)) },
      ],
    }],
    sorts: [{ propertyName: 'closedate', direction: 'ASCENDING' }],
    properties: ['dealname', 'closedate'],
    limit: 10,
  });
  assert.equal(found.total, 3);
  assert.deepEqual(found.results.map((r) => r.properties.dealname), [`deal2 ${run}`, `deal3 ${run}`, `deal4 ${run}`]);
});

test('values given as numbers and booleans, as JavaScript callers send them, are read as their text', async () => {
  const deal = await hubspot.crm.deals.basicApi.create({ properties: { dealname: `typed ${run}`, amount: 1500.5 }, associations: [] });
  assert.equal(deal.properties.amount, '1500.5');
  const contact = await hubspot.crm.contacts.basicApi.create({ properties: { email: `typed.${run}@example.com`, hs_marketable_status: true } });
  assert.equal(contact.properties.hs_marketable_status, 'true');
  const changed = await hubspot.crm.deals.batchApi.update({ inputs: [{ id: deal.id, properties: { amount: 20 } }] });
  assert.equal(changed.results[0].properties.amount, '20');
});

test('contacts batch upsert by email', async () => {
  const existing = `person1.${run}@example.com`;
  const fresh = `upserted.${run}@example.com`;
  const out = await hubspot.crm.contacts.batchApi.upsert({
    inputs: [
      { id: existing, idProperty: 'email', properties: { firstname: 'Again' } },
      { id: fresh, idProperty: 'email', properties: { firstname: 'New' } },
    ],
  });
  assert.equal(out.status, 'COMPLETE');
  const byEmail = Object.fromEntries(out.results.map((r) => [r.properties.email, r]));
  assert.equal(byEmail[existing]._new, false);
  assert.equal(byEmail[existing].properties.firstname, 'Again');
  assert.equal(byEmail[fresh]._new, true);
  assertID(byEmail[fresh].id);
  const got = await hubspot.crm.contacts.basicApi.getById(fresh, ['firstname'], undefined, undefined, false, 'email');
  assert.equal(got.id, byEmail[fresh].id);
  assert.equal(got.properties.firstname, 'New');

  const changed = await hubspot.crm.contacts.basicApi.update(fresh.toUpperCase(), { properties: { lastname: 'Upserted' } }, 'email');
  assert.equal(changed.id, byEmail[fresh].id);
  const read = await hubspot.crm.contacts.batchApi.read({ inputs: [{ id: existing }, { id: fresh }], idProperty: 'email', properties: ['email', 'lastname'], propertiesWithHistory: [] });
  assert.deepEqual(read.results.map((r) => [r.id, r.properties.email]).sort(), [[byEmail[existing].id, existing], [byEmail[fresh].id, fresh]].sort());

  const found = await hubspot.crm.contacts.searchApi.doSearch({ query: `upserted.${run}`, properties: ['lastname'], limit: 10 });
  assert.equal(found.total, 1);
  assert.equal(found.results[0].properties.lastname, 'Upserted');
});

describe('properties', () => {
  for (const t of types) {
    test(`${t.name}: getAll, create, getByName, update, use, archive`, async () => {
      const core = hubspot.crm.properties.coreApi;
      const all = await core.getAll(t.name);
      const builtin = all.results.find((p) => p.name === t.sortBy);
      assert.ok(builtin, `${t.sortBy} is listed`);
      assert.equal(builtin.hubspotDefined, true);

      // Every field of the client's PropertyCreate and OptionInput, as callers commonly send them.
      const name = `tier_${run}`;
      const created = await core.create(t.name, {
        name, label: 'Tier', type: 'enumeration', fieldType: 'select', groupName: `${t.name.replace(/s$/, '')}information`,
        description: 'Service level', displayOrder: 2, hidden: false, formField: true, hasUniqueValue: false, externalOptions: false,
        options: [
          { label: 'Gold', value: 'gold', description: 'Best', displayOrder: 0, hidden: false },
          { label: 'Silver', value: 'silver', description: 'Good', displayOrder: 1, hidden: false },
        ],
      });
      assert.equal(created.name, name);
      assert.equal(created.type, 'enumeration');
      assert.equal(created.description, 'Service level');
      assert.equal(created.hasUniqueValue, false);
      assert.deepEqual(created.options.map((o) => [o.value, o.description]), [['gold', 'Best'], ['silver', 'Good']]);

      const got = await core.getByName(t.name, name);
      assert.equal(got.label, 'Tier');
      assert.equal(got.options[0].description, 'Best');
      const renamed = await core.update(t.name, name, { label: 'Customer tier', type: 'enumeration', hidden: true, description: 'Tier of service' });
      assert.equal(renamed.label, 'Customer tier');
      assert.equal(renamed.hidden, true);
      assert.equal((await core.getByName(t.name, name)).hidden, true);

      const rec = await t.api().basicApi.create({ properties: { ...t.props(20), [name]: 'gold' }, associations: [] });
      assert.equal(rec.properties[name], 'gold');
      const found = await t.api().searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: name, operator: 'EQ', value: 'gold' }] }], properties: [name], limit: 10 });
      assert.deepEqual(found.results.map((r) => r.id), [rec.id]);

      await core.archive(t.name, name);
      const live = await core.getAll(t.name);
      assert.ok(!live.results.some((p) => p.name === name), 'archived property is no longer listed');
      const archived = await core.getAll(t.name, true);
      assert.ok(archived.results.some((p) => p.name === name && p.archived), 'archived property is listed with archived=true');
      await assert.rejects(core.getByName(t.name, name), (e) => e.code === 404);
      assert.equal((await core.getByName(t.name, name, true)).archived, true);
    });
  }
});
