-- Generated from internal/crm (object types and their built-in properties); do not edit.
-- Regenerate with: go test ./internal/crm -run TestMigrationMatchesSchema -update

CREATE TABLE crm_properties (
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    object_type   TEXT NOT NULL,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL,
    field_type    TEXT NOT NULL,
    label         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    group_name    TEXT NOT NULL DEFAULT '',
    options       TEXT NOT NULL DEFAULT '[]',
    display_order INTEGER NOT NULL DEFAULT 0,
    hidden        BOOLEAN NOT NULL DEFAULT FALSE,
    archived_at   TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, object_type, name)
);

CREATE TABLE crm_custom_values (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    object_type TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    property    TEXT NOT NULL,
    value       TEXT NOT NULL,
    num         INTEGER,
    PRIMARY KEY (account_id, object_type, object_id, property)
);
CREATE INDEX crm_custom_values_value_idx ON crm_custom_values (account_id, object_type, property, lower(value));
CREATE INDEX crm_custom_values_num_idx ON crm_custom_values (account_id, object_type, property, num);

CREATE TABLE crm_property_history (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    object_type TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    property    TEXT NOT NULL,
    value       TEXT,
    changed_at  TIMESTAMP NOT NULL,
    source_type TEXT NOT NULL,
    source_id   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX crm_property_history_object_idx ON crm_property_history (account_id, object_type, object_id, property, id);

CREATE TABLE crm_activities (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    object_type TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    source_type TEXT NOT NULL,
    source_id   TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX crm_activities_object_idx ON crm_activities (account_id, object_type, object_id, id);

CREATE TABLE crm_associations (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    from_type  TEXT NOT NULL,
    from_id    INTEGER NOT NULL,
    to_type    TEXT NOT NULL,
    to_id      INTEGER NOT NULL,
    type_id    INTEGER NOT NULL,
    category   TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, from_type, from_id, to_type, to_id, type_id)
);

CREATE TABLE crm_association_labels (
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    from_type       TEXT NOT NULL,
    to_type         TEXT NOT NULL,
    type_id         INTEGER NOT NULL,
    inverse_type_id INTEGER NOT NULL,
    name            TEXT NOT NULL,
    label           TEXT NOT NULL,
    inverse_label   TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, from_type, to_type, type_id)
);

CREATE TABLE crm_contacts (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    archived_at TIMESTAMP,
    email TEXT,
    firstname TEXT,
    lastname TEXT,
    phone TEXT,
    mobilephone TEXT,
    company TEXT,
    jobtitle TEXT,
    website TEXT,
    hs_language TEXT,
    hs_marketable_status BOOLEAN,
    lifecyclestage TEXT,
    address TEXT,
    city TEXT,
    state TEXT,
    zip TEXT,
    country TEXT
);
CREATE INDEX crm_contacts_account_idx ON crm_contacts (account_id, id);
CREATE UNIQUE INDEX crm_contacts_email_idx ON crm_contacts (account_id, lower(email)) WHERE archived_at IS NULL;
CREATE INDEX crm_contacts_lastname_idx ON crm_contacts (account_id, lower(lastname), created_at);
CREATE INDEX crm_contacts_hs_language_idx ON crm_contacts (account_id, hs_language, created_at);
CREATE INDEX crm_contacts_hs_marketable_status_idx ON crm_contacts (account_id, hs_marketable_status, created_at);
CREATE INDEX crm_contacts_lifecyclestage_idx ON crm_contacts (account_id, lifecyclestage, created_at);
CREATE INDEX crm_contacts_country_idx ON crm_contacts (account_id, lower(country), created_at);
CREATE INDEX crm_contacts_created_idx ON crm_contacts (account_id, created_at, id) WHERE archived_at IS NULL;
CREATE INDEX crm_contacts_updated_idx ON crm_contacts (account_id, updated_at, id) WHERE archived_at IS NULL;

CREATE TABLE crm_companies (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    archived_at TIMESTAMP,
    name TEXT,
    domain TEXT,
    phone TEXT,
    industry TEXT,
    numberofemployees INTEGER,
    annualrevenue INTEGER,
    description TEXT,
    website TEXT,
    address TEXT,
    city TEXT,
    state TEXT,
    zip TEXT,
    country TEXT
);
CREATE INDEX crm_companies_account_idx ON crm_companies (account_id, id);
CREATE INDEX crm_companies_name_idx ON crm_companies (account_id, lower(name), created_at);
CREATE INDEX crm_companies_domain_idx ON crm_companies (account_id, lower(domain), created_at);
CREATE INDEX crm_companies_country_idx ON crm_companies (account_id, lower(country), created_at);
CREATE INDEX crm_companies_created_idx ON crm_companies (account_id, created_at, id) WHERE archived_at IS NULL;
CREATE INDEX crm_companies_updated_idx ON crm_companies (account_id, updated_at, id) WHERE archived_at IS NULL;

CREATE TABLE crm_deals (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    archived_at TIMESTAMP,
    dealname TEXT,
    amount INTEGER,
    deal_currency_code TEXT,
    dealstage TEXT,
    pipeline TEXT,
    closedate TIMESTAMP,
    dealtype TEXT,
    description TEXT,
    hs_priority TEXT
);
CREATE INDEX crm_deals_account_idx ON crm_deals (account_id, id);
CREATE INDEX crm_deals_dealname_idx ON crm_deals (account_id, lower(dealname), created_at);
CREATE INDEX crm_deals_amount_idx ON crm_deals (account_id, amount, created_at);
CREATE INDEX crm_deals_dealstage_idx ON crm_deals (account_id, dealstage, created_at);
CREATE INDEX crm_deals_closedate_idx ON crm_deals (account_id, closedate, created_at);
CREATE INDEX crm_deals_created_idx ON crm_deals (account_id, created_at, id) WHERE archived_at IS NULL;
CREATE INDEX crm_deals_updated_idx ON crm_deals (account_id, updated_at, id) WHERE archived_at IS NULL;

CREATE TABLE crm_products (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    archived_at TIMESTAMP,
    name TEXT,
    description TEXT,
    price INTEGER,
    hs_currency_code TEXT,
    hs_sku TEXT,
    hs_product_type TEXT,
    hs_tax_rate INTEGER,
    recurringbillingfrequency TEXT,
    hs_recurring_billing_period TEXT,
    hs_recurring_billing_number_of_payments INTEGER
);
CREATE INDEX crm_products_account_idx ON crm_products (account_id, id);
CREATE INDEX crm_products_name_idx ON crm_products (account_id, lower(name), created_at);
CREATE INDEX crm_products_hs_sku_idx ON crm_products (account_id, lower(hs_sku), created_at);
CREATE INDEX crm_products_created_idx ON crm_products (account_id, created_at, id) WHERE archived_at IS NULL;
CREATE INDEX crm_products_updated_idx ON crm_products (account_id, updated_at, id) WHERE archived_at IS NULL;

CREATE TABLE crm_line_items (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    archived_at TIMESTAMP,
    name TEXT,
    hs_product_id TEXT,
    hs_sku TEXT,
    quantity INTEGER,
    price INTEGER,
    amount INTEGER,
    discount INTEGER,
    hs_discount_percentage INTEGER,
    hs_tax_rate INTEGER,
    hs_line_item_currency_code TEXT,
    recurringbillingfrequency TEXT,
    hs_recurring_billing_period TEXT,
    hs_recurring_billing_number_of_payments INTEGER
);
CREATE INDEX crm_line_items_account_idx ON crm_line_items (account_id, id);
CREATE INDEX crm_line_items_hs_product_id_idx ON crm_line_items (account_id, lower(hs_product_id), created_at);
CREATE INDEX crm_line_items_created_idx ON crm_line_items (account_id, created_at, id) WHERE archived_at IS NULL;
CREATE INDEX crm_line_items_updated_idx ON crm_line_items (account_id, updated_at, id) WHERE archived_at IS NULL;

CREATE TABLE crm_quotes (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    archived_at TIMESTAMP,
    hs_title TEXT,
    hs_quote_number TEXT,
    hs_status TEXT,
    hs_expiration_date TIMESTAMP,
    hs_quote_amount INTEGER,
    hs_currency TEXT,
    hs_language TEXT
);
CREATE INDEX crm_quotes_account_idx ON crm_quotes (account_id, id);
CREATE INDEX crm_quotes_hs_quote_number_idx ON crm_quotes (account_id, lower(hs_quote_number), created_at);
CREATE INDEX crm_quotes_hs_status_idx ON crm_quotes (account_id, hs_status, created_at);
CREATE INDEX crm_quotes_created_idx ON crm_quotes (account_id, created_at, id) WHERE archived_at IS NULL;
CREATE INDEX crm_quotes_updated_idx ON crm_quotes (account_id, updated_at, id) WHERE archived_at IS NULL;

CREATE TABLE crm_invoices (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    archived_at TIMESTAMP,
    hs_number TEXT,
    hs_invoice_status TEXT,
    hs_currency TEXT,
    hs_invoice_date TEXT,
    hs_due_date TEXT,
    hs_amount_billed INTEGER,
    hs_amount_paid INTEGER,
    hs_balance_due INTEGER,
    hs_purchase_order_number TEXT,
    hs_comments TEXT,
    hs_language TEXT
);
CREATE INDEX crm_invoices_account_idx ON crm_invoices (account_id, id);
CREATE INDEX crm_invoices_hs_number_idx ON crm_invoices (account_id, lower(hs_number), created_at);
CREATE INDEX crm_invoices_hs_invoice_status_idx ON crm_invoices (account_id, hs_invoice_status, created_at);
CREATE INDEX crm_invoices_hs_invoice_date_idx ON crm_invoices (account_id, hs_invoice_date, created_at);
CREATE INDEX crm_invoices_hs_due_date_idx ON crm_invoices (account_id, hs_due_date, created_at);
CREATE INDEX crm_invoices_created_idx ON crm_invoices (account_id, created_at, id) WHERE archived_at IS NULL;
CREATE INDEX crm_invoices_updated_idx ON crm_invoices (account_id, updated_at, id) WHERE archived_at IS NULL;

CREATE TABLE crm_subscriptions (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    archived_at TIMESTAMP,
    hs_name TEXT,
    hs_status TEXT,
    hs_recurring_billing_frequency TEXT,
    hs_recurring_billing_start_date TEXT,
    hs_next_payment_due_date TEXT,
    hs_last_payment_date TIMESTAMP,
    hs_last_payment_amount INTEGER,
    hs_recurring_billing_number_of_payments INTEGER,
    hs_currency_code TEXT,
    hs_cancellation_date TIMESTAMP
);
CREATE INDEX crm_subscriptions_account_idx ON crm_subscriptions (account_id, id);
CREATE INDEX crm_subscriptions_hs_status_idx ON crm_subscriptions (account_id, hs_status, created_at);
CREATE INDEX crm_subscriptions_hs_next_payment_due_date_idx ON crm_subscriptions (account_id, hs_next_payment_due_date, created_at);
CREATE INDEX crm_subscriptions_created_idx ON crm_subscriptions (account_id, created_at, id) WHERE archived_at IS NULL;
CREATE INDEX crm_subscriptions_updated_idx ON crm_subscriptions (account_id, updated_at, id) WHERE archived_at IS NULL;

CREATE TABLE crm_payments (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    archived_at TIMESTAMP,
    hs_initial_amount INTEGER,
    hs_initiated_date TIMESTAMP,
    hs_currency_code TEXT,
    hs_customer_email TEXT,
    hs_latest_status TEXT,
    hs_fees_amount INTEGER,
    hs_refunds_amount INTEGER,
    hs_net_amount INTEGER,
    hs_net_amount_after_refunds INTEGER,
    hs_line_item_discounts_amount INTEGER,
    hs_total_discounts_amount INTEGER,
    hs_order_discount_amount INTEGER,
    hs_order_discount_percentage INTEGER,
    hs_order_discount_code TEXT,
    hs_max_refundable_amount_in_portal_currency INTEGER,
    hs_settlement_currency_code TEXT,
    hs_initial_amount_in_settlement_currency INTEGER,
    hs_fees_amount_in_settlement_currency INTEGER,
    hs_net_amount_in_settlement_currency INTEGER,
    hs_settlement_exchange_rate INTEGER,
    hs_initial_amount_in_portal_currency INTEGER,
    hs_net_amount_in_portal_currency INTEGER,
    hs_refunds_amount_in_portal_currency INTEGER,
    hs_line_item_discounts_amount_in_portal_currency INTEGER,
    hs_total_discounts_amount_in_portal_currency INTEGER,
    hs_presentment_to_portal_currency_dated_exchange_rate INTEGER,
    hs_platform_fee INTEGER,
    hs_platform_fee_in_portal_currency INTEGER,
    hs_platform_fee_in_settlement_currency INTEGER,
    hs_payment_method_type TEXT,
    hs_payment_method TEXT,
    hs_payment_method_bank_or_issuer TEXT,
    hs_payment_method_last_4 TEXT,
    hs_digital_wallet_type TEXT,
    hs_processor_type TEXT,
    hs_payment_id TEXT,
    hs_payment_source_app TEXT,
    hs_payment_source_id TEXT,
    hs_payment_source_name TEXT,
    hs_payment_source_url TEXT,
    hs_payment_type TEXT,
    hs_payment_creation_method TEXT,
    hs_processed_date TIMESTAMP,
    hs_payout_date TIMESTAMP,
    hs_reference_number TEXT,
    hs_internal_comment TEXT,
    hs_has_associated_invoice BOOLEAN,
    hs_number_of_associated_invoices INTEGER,
    hs_dispute_status TEXT,
    hs_dispute_reason TEXT,
    hs_dispute_amount INTEGER,
    hs_dispute_created_date TIMESTAMP,
    hs_dispute_response_deadline TIMESTAMP,
    hs_dispute_closed_date TIMESTAMP,
    hs_billing_address_city TEXT,
    hs_billing_address_country TEXT,
    hs_billing_address_line_1 TEXT,
    hs_billing_address_line_2 TEXT,
    hs_billing_address_state TEXT,
    hs_billing_address_zip TEXT,
    hs_shipping_address_city TEXT,
    hs_shipping_address_country TEXT,
    hs_shipping_address_line_1 TEXT,
    hs_shipping_address_line_2 TEXT,
    hs_shipping_address_state TEXT,
    hs_shipping_address_zip TEXT,
    hs_shipping_ship_to_name TEXT
);
CREATE INDEX crm_payments_account_idx ON crm_payments (account_id, id);
CREATE INDEX crm_payments_hs_initial_amount_idx ON crm_payments (account_id, hs_initial_amount, created_at);
CREATE INDEX crm_payments_hs_initiated_date_idx ON crm_payments (account_id, hs_initiated_date, created_at);
CREATE INDEX crm_payments_hs_currency_code_idx ON crm_payments (account_id, lower(hs_currency_code), created_at);
CREATE INDEX crm_payments_hs_customer_email_idx ON crm_payments (account_id, lower(hs_customer_email), created_at);
CREATE INDEX crm_payments_hs_latest_status_idx ON crm_payments (account_id, hs_latest_status, created_at);
CREATE INDEX crm_payments_hs_payment_method_type_idx ON crm_payments (account_id, hs_payment_method_type, created_at);
CREATE INDEX crm_payments_hs_processor_type_idx ON crm_payments (account_id, hs_processor_type, created_at);
CREATE INDEX crm_payments_hs_payment_id_idx ON crm_payments (account_id, lower(hs_payment_id), created_at);
CREATE INDEX crm_payments_hs_payment_source_app_idx ON crm_payments (account_id, hs_payment_source_app, created_at);
CREATE INDEX crm_payments_hs_payment_source_id_idx ON crm_payments (account_id, lower(hs_payment_source_id), created_at);
CREATE INDEX crm_payments_hs_payout_date_idx ON crm_payments (account_id, hs_payout_date, created_at);
CREATE INDEX crm_payments_hs_dispute_status_idx ON crm_payments (account_id, hs_dispute_status, created_at);
CREATE INDEX crm_payments_hs_dispute_created_date_idx ON crm_payments (account_id, hs_dispute_created_date, created_at);
CREATE INDEX crm_payments_created_idx ON crm_payments (account_id, created_at, id) WHERE archived_at IS NULL;
CREATE INDEX crm_payments_updated_idx ON crm_payments (account_id, updated_at, id) WHERE archived_at IS NULL;

CREATE TABLE crm_tasks (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    archived_at TIMESTAMP,
    hs_task_subject TEXT,
    hs_task_body TEXT,
    hs_task_status TEXT,
    hs_task_priority TEXT,
    hs_task_type TEXT,
    hs_timestamp TIMESTAMP
);
CREATE INDEX crm_tasks_account_idx ON crm_tasks (account_id, id);
CREATE INDEX crm_tasks_hs_task_status_idx ON crm_tasks (account_id, hs_task_status, created_at);
CREATE INDEX crm_tasks_hs_timestamp_idx ON crm_tasks (account_id, hs_timestamp, created_at);
CREATE INDEX crm_tasks_created_idx ON crm_tasks (account_id, created_at, id) WHERE archived_at IS NULL;
CREATE INDEX crm_tasks_updated_idx ON crm_tasks (account_id, updated_at, id) WHERE archived_at IS NULL;

