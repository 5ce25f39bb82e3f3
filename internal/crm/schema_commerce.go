package crm

func recurringProperties() []Property {
	return []Property{
		prop("recurringbillingfrequency", Enumeration, Labels{"Billing frequency", "Fréquence de facturation", "Abrechnungshäufigkeit", "Frecuencia de facturación"},
			options(frequencyValues, frequencyLabels...)),
		prop("hs_recurring_billing_period", String, Labels{"Term", "Durée", "Laufzeit", "Plazo"}),
		prop("hs_recurring_billing_number_of_payments", Number, Labels{"Number of payments", "Nombre de paiements", "Anzahl der Zahlungen", "Número de pagos"}),
	}
}

func productsType() *ObjectType {
	props := []Property{
		prop("name", String, Labels{"Name", "Nom", "Name", "Nombre"}, indexed),
		prop("description", String, Labels{"Description", "Description", "Beschreibung", "Descripción"}, fieldType("textarea")),
		prop("price", Number, Labels{"Unit price", "Prix unitaire", "Stückpreis", "Precio unitario"}),
		prop("hs_currency_code", String, Labels{"Currency", "Devise", "Währung", "Moneda"}, format("currency")),
		prop("hs_sku", String, Labels{"SKU", "Référence", "Artikelnummer", "SKU"}, indexed),
		prop("hs_product_type", Enumeration, Labels{"Product type", "Type de produit", "Produkttyp", "Tipo de producto"},
			options([]string{"inventory", "non_inventory", "service"}, Labels{"Inventory", "Stock", "Lagerware", "Inventario"},
				Labels{"Non-inventory", "Hors stock", "Keine Lagerware", "Sin inventario"}, Labels{"Service", "Service", "Dienstleistung", "Servicio"})),
		prop("hs_tax_rate", Number, Labels{"Tax rate (%)", "Taux de taxe (%)", "Steuersatz (%)", "Tipo impositivo (%)"}),
	}
	return &ObjectType{
		Name: "products", ID: "0-7", Singular: "product", Table: "crm_products", Properties: append(props, recurringProperties()...),
		Defaults: []string{"name", "description", "price", PropCreateDate, PropLastModified, PropObjectID},
		Display:  "name",
		Label:    Labels{"Product", "Produit", "Produkt", "Producto"}, PluralLabel: Labels{"Products", "Produits", "Produkte", "Productos"},
	}
}

func lineItemsType() *ObjectType {
	props := []Property{
		prop("name", String, Labels{"Name", "Nom", "Name", "Nombre"}),
		prop("hs_product_id", String, Labels{"Product ID", "ID du produit", "Produkt-ID", "ID del producto"}, indexed),
		prop("hs_sku", String, Labels{"SKU", "Référence", "Artikelnummer", "SKU"}),
		prop("quantity", Number, Labels{"Quantity", "Quantité", "Menge", "Cantidad"}),
		prop("price", Number, Labels{"Unit price", "Prix unitaire", "Stückpreis", "Precio unitario"}),
		prop("amount", Number, Labels{"Net price", "Prix net", "Nettopreis", "Precio neto"}, readOnly),
		prop("discount", Number, Labels{"Unit discount", "Remise unitaire", "Rabatt pro Einheit", "Descuento unitario"}),
		prop("hs_discount_percentage", Number, Labels{"Discount percentage", "Pourcentage de remise", "Rabatt in Prozent", "Porcentaje de descuento"}),
		prop("hs_tax_rate", Number, Labels{"Tax rate (%)", "Taux de taxe (%)", "Steuersatz (%)", "Tipo impositivo (%)"}),
		prop("hs_line_item_currency_code", String, Labels{"Currency", "Devise", "Währung", "Moneda"}, format("currency")),
	}
	return &ObjectType{
		Name: "line_items", ID: "0-8", Singular: "line_item", Aliases: []string{"lineitems", "line_item"}, Table: "crm_line_items",
		Properties: append(props, recurringProperties()...),
		Defaults:   []string{"name", "quantity", "price", "amount", PropCreateDate, PropLastModified, PropObjectID},
		Display:    "name",
		Label:      Labels{"Line item", "Élément de ligne", "Position", "Elemento de línea"}, PluralLabel: Labels{"Line items", "Éléments de ligne", "Positionen", "Elementos de línea"},
	}
}

func quotesType() *ObjectType {
	return &ObjectType{
		Name: "quotes", ID: "0-14", Singular: "quote", Table: "crm_quotes",
		Properties: []Property{
			prop("hs_title", String, Labels{"Quote name", "Nom du devis", "Name des Angebots", "Nombre del presupuesto"}),
			prop("hs_quote_number", String, Labels{"Quote number", "Numéro du devis", "Angebotsnummer", "Número de presupuesto"}, readOnly, indexed),
			prop("hs_status", Enumeration, Labels{"Quote status", "Statut du devis", "Angebotsstatus", "Estado del presupuesto"},
				options([]string{"DRAFT", "PUBLISHED", "ACCEPTED", "EXPIRED"}, Labels{"Draft", "Brouillon", "Entwurf", "Borrador"},
					Labels{"Published", "Publié", "Veröffentlicht", "Publicado"}, Labels{"Accepted", "Accepté", "Angenommen", "Aceptado"},
					Labels{"Expired", "Expiré", "Abgelaufen", "Caducado"}), indexed),
			prop("hs_expiration_date", Datetime, Labels{"Expiration date", "Date d'expiration", "Ablaufdatum", "Fecha de vencimiento"}),
			prop("hs_quote_amount", Number, Labels{"Amount", "Montant", "Betrag", "Importe"}, readOnly),
			prop("hs_currency", String, Labels{"Currency", "Devise", "Währung", "Moneda"}, format("currency")),
			prop("hs_language", Enumeration, Labels{"Language", "Langue", "Sprache", "Idioma"}, options(languageValues, languageLabels...)),
		},
		Defaults: []string{"hs_title", "hs_status", "hs_expiration_date", PropCreateDate, PropLastModified, PropObjectID},
		Display:  "hs_title",
		Label:    Labels{"Quote", "Devis", "Angebot", "Presupuesto"}, PluralLabel: Labels{"Quotes", "Devis", "Angebote", "Presupuestos"},
	}
}

func invoicesType() *ObjectType {
	return &ObjectType{
		Name: "invoices", ID: "0-53", Singular: "invoice", Table: "crm_invoices",
		Properties: []Property{
			prop("hs_number", String, Labels{"Invoice number", "Numéro de facture", "Rechnungsnummer", "Número de factura"}, readOnly, indexed),
			prop("hs_invoice_status", Enumeration, Labels{"Invoice status", "Statut de la facture", "Rechnungsstatus", "Estado de la factura"},
				options([]string{"draft", "open", "paid", "voided", "uncollectible"}, Labels{"Draft", "Brouillon", "Entwurf", "Borrador"},
					Labels{"Open", "Ouverte", "Offen", "Abierta"}, Labels{"Paid", "Payée", "Bezahlt", "Pagada"},
					Labels{"Void", "Annulée", "Storniert", "Anulada"}, Labels{"Uncollectible", "Irrécouvrable", "Uneinbringlich", "Incobrable"}), indexed),
			prop("hs_currency", String, Labels{"Currency", "Devise", "Währung", "Moneda"}, format("currency")),
			prop("hs_invoice_date", Date, Labels{"Invoice date", "Date de facture", "Rechnungsdatum", "Fecha de factura"}, indexed),
			prop("hs_due_date", Date, Labels{"Due date", "Date d'échéance", "Fälligkeitsdatum", "Fecha de vencimiento"}, indexed),
			prop("hs_amount_billed", Number, Labels{"Amount billed", "Montant facturé", "Rechnungsbetrag", "Importe facturado"}, readOnly),
			prop("hs_amount_paid", Number, Labels{"Amount paid", "Montant payé", "Bezahlter Betrag", "Importe pagado"}, readOnly),
			prop("hs_balance_due", Number, Labels{"Balance due", "Solde dû", "Offener Betrag", "Saldo pendiente"}, readOnly),
			prop("hs_purchase_order_number", String, Labels{"Purchase order number", "Numéro de bon de commande", "Bestellnummer", "Número de orden de compra"}),
			prop("hs_comments", String, Labels{"Comments", "Commentaires", "Kommentare", "Comentarios"}, fieldType("textarea")),
			prop("hs_language", Enumeration, Labels{"Language", "Langue", "Sprache", "Idioma"}, options(languageValues, languageLabels...)),
		},
		Defaults: []string{"hs_number", "hs_invoice_status", "hs_amount_billed", "hs_due_date", PropCreateDate, PropLastModified, PropObjectID},
		Display:  "hs_number",
		Label:    Labels{"Invoice", "Facture", "Rechnung", "Factura"}, PluralLabel: Labels{"Invoices", "Factures", "Rechnungen", "Facturas"},
	}
}

func subscriptionsType() *ObjectType {
	return &ObjectType{
		Name: "subscriptions", ID: "0-69", Singular: "subscription", Aliases: []string{"commerce_subscriptions"}, Table: "crm_subscriptions",
		Properties: []Property{
			prop("hs_name", String, Labels{"Name", "Nom", "Name", "Nombre"}),
			prop("hs_status", Enumeration, Labels{"Status", "Statut", "Status", "Estado"},
				options([]string{"active", "past_due", "canceled", "expired", "scheduled"}, Labels{"Active", "Actif", "Aktiv", "Activa"},
					Labels{"Past due", "En retard", "Überfällig", "Vencida"}, Labels{"Canceled", "Annulé", "Gekündigt", "Cancelada"},
					Labels{"Expired", "Expiré", "Abgelaufen", "Caducada"}, Labels{"Scheduled", "Planifié", "Geplant", "Programada"}), readOnly, indexed),
			prop("hs_recurring_billing_frequency", Enumeration, Labels{"Billing frequency", "Fréquence de facturation", "Abrechnungshäufigkeit", "Frecuencia de facturación"},
				options(frequencyValues, frequencyLabels...), readOnly),
			prop("hs_recurring_billing_start_date", Date, Labels{"Start date", "Date de début", "Startdatum", "Fecha de inicio"}, readOnly),
			prop("hs_next_payment_due_date", Date, Labels{"Next payment date", "Date du prochain paiement", "Nächstes Zahlungsdatum", "Fecha del próximo pago"}, readOnly, indexed),
			prop("hs_last_payment_date", Datetime, Labels{"Last payment date", "Date du dernier paiement", "Letztes Zahlungsdatum", "Fecha del último pago"}, readOnly),
			prop("hs_last_payment_amount", Number, Labels{"Last payment amount", "Montant du dernier paiement", "Letzter Zahlungsbetrag", "Importe del último pago"}, readOnly),
			prop("hs_recurring_billing_number_of_payments", Number, Labels{"Number of payments", "Nombre de paiements", "Anzahl der Zahlungen", "Número de pagos"}, readOnly),
			prop("hs_currency_code", String, Labels{"Currency", "Devise", "Währung", "Moneda"}, format("currency"), readOnly),
			prop("hs_cancellation_date", Datetime, Labels{"Cancellation date", "Date d'annulation", "Kündigungsdatum", "Fecha de cancelación"}, readOnly),
		},
		Defaults: []string{"hs_name", "hs_status", "hs_next_payment_due_date", PropCreateDate, PropLastModified, PropObjectID},
		Display:  "hs_name",
		Label:    Labels{"Subscription", "Abonnement", "Abonnement", "Suscripción"}, PluralLabel: Labels{"Subscriptions", "Abonnements", "Abonnements", "Suscripciones"},
	}
}
