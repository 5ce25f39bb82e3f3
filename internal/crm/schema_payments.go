package crm

// Payment statuses (hs_latest_status).
var paymentStatuses = []string{"processing", "succeeded", "failed", "partially_refunded", "refunded", "processing_refund",
	"disputed_action_required", "disputed_awaiting_decision", "disputed_won", "disputed_lost"}

var paymentStatusLabels = []Labels{
	{"Processing", "En cours de traitement", "In Bearbeitung", "Procesando"}, {"Succeeded", "Réussi", "Erfolgreich", "Realizado"},
	{"Failed", "Échoué", "Fehlgeschlagen", "Fallido"}, {"Partially refunded", "Partiellement remboursé", "Teilweise erstattet", "Reembolsado parcialmente"},
	{"Refunded", "Remboursé", "Erstattet", "Reembolsado"}, {"Refund processing", "Remboursement en cours", "Erstattung in Bearbeitung", "Reembolso en curso"},
	{"Disputed (needs response)", "Contesté (réponse requise)", "Angefochten (Antwort erforderlich)", "Disputado (requiere respuesta)"},
	{"Disputed (under review)", "Contesté (en cours d'examen)", "Angefochten (in Prüfung)", "Disputado (en revisión)"},
	{"Disputed (won)", "Contesté (gagné)", "Angefochten (gewonnen)", "Disputado (ganado)"},
	{"Disputed (lost)", "Contesté (perdu)", "Angefochten (verloren)", "Disputado (perdido)"},
}

func paymentsType() *ObjectType {
	amount := func(name string, l Labels, opts ...func(*Property)) Property {
		return prop(name, Number, l, append([]func(*Property){group("amounts")}, opts...)...)
	}
	props := []Property{
		amount("hs_initial_amount", Labels{"Gross amount", "Montant brut", "Bruttobetrag", "Importe bruto"}, indexed),
		prop("hs_initiated_date", Datetime, Labels{"Payment date", "Date du paiement", "Zahlungsdatum", "Fecha del pago"}, indexed),
		prop("hs_currency_code", String, Labels{"Currency", "Devise", "Währung", "Moneda"}, format("currency"), indexed),
		prop("hs_customer_email", String, Labels{"Customer", "Client", "Kunde", "Cliente"}, indexed, format("email")),
		prop("hs_latest_status", Enumeration, Labels{"Status", "Statut", "Status", "Estado"}, options(paymentStatuses, paymentStatusLabels...), indexed),
		amount("hs_fees_amount", Labels{"Fees", "Frais", "Gebühren", "Comisiones"}),
		amount("hs_refunds_amount", Labels{"Refunds", "Remboursements", "Erstattungen", "Reembolsos"}),
		amount("hs_net_amount", Labels{"Net amount", "Montant net", "Nettobetrag", "Importe neto"}, readOnly),
		amount("hs_net_amount_after_refunds", Labels{"Amount paid", "Montant payé", "Gezahlter Betrag", "Importe pagado"}, readOnly),
		amount("hs_line_item_discounts_amount", Labels{"Line item discounts", "Remises sur les lignes", "Positionsrabatte", "Descuentos de línea"}),
		amount("hs_total_discounts_amount", Labels{"Total discounts", "Remises totales", "Rabatte gesamt", "Descuentos totales"}, readOnly),
		amount("hs_order_discount_amount", Labels{"Order discount", "Remise sur la commande", "Bestellrabatt", "Descuento del pedido"}, readOnly),
		amount("hs_order_discount_percentage", Labels{"Order discount percentage", "Pourcentage de remise", "Bestellrabatt in Prozent", "Porcentaje de descuento"}, readOnly),
		prop("hs_order_discount_code", String, Labels{"Discount code", "Code de réduction", "Rabattcode", "Código de descuento"}, readOnly),
		amount("hs_max_refundable_amount_in_portal_currency", Labels{"Refundable amount", "Montant remboursable", "Erstattbarer Betrag", "Importe reembolsable"}, readOnly),
		prop("hs_settlement_currency_code", String, Labels{"Settlement currency", "Devise de règlement", "Abrechnungswährung", "Moneda de liquidación"}, format("currency"), readOnly),
		amount("hs_initial_amount_in_settlement_currency", Labels{"Gross amount in settlement currency", "Montant brut en devise de règlement", "Bruttobetrag in Abrechnungswährung", "Importe bruto en moneda de liquidación"}, readOnly),
		amount("hs_fees_amount_in_settlement_currency", Labels{"Fees in settlement currency", "Frais en devise de règlement", "Gebühren in Abrechnungswährung", "Comisiones en moneda de liquidación"}, readOnly),
		amount("hs_net_amount_in_settlement_currency", Labels{"Net amount in settlement currency", "Montant net en devise de règlement", "Nettobetrag in Abrechnungswährung", "Importe neto en moneda de liquidación"}, readOnly),
		amount("hs_settlement_exchange_rate", Labels{"Exchange rate", "Taux de change", "Wechselkurs", "Tipo de cambio"}, readOnly),
		amount("hs_initial_amount_in_portal_currency", Labels{"Gross amount in company currency", "Montant brut en devise de l'entreprise", "Bruttobetrag in Firmenwährung", "Importe bruto en moneda de la empresa"}, readOnly),
		amount("hs_net_amount_in_portal_currency", Labels{"Net amount in company currency", "Montant net en devise de l'entreprise", "Nettobetrag in Firmenwährung", "Importe neto en moneda de la empresa"}, readOnly),
		amount("hs_refunds_amount_in_portal_currency", Labels{"Refunds in company currency", "Remboursements en devise de l'entreprise", "Erstattungen in Firmenwährung", "Reembolsos en moneda de la empresa"}, readOnly),
		amount("hs_line_item_discounts_amount_in_portal_currency", Labels{"Line item discounts in company currency", "Remises sur les lignes en devise de l'entreprise", "Positionsrabatte in Firmenwährung", "Descuentos de línea en moneda de la empresa"}, readOnly),
		amount("hs_total_discounts_amount_in_portal_currency", Labels{"Total discounts in company currency", "Remises totales en devise de l'entreprise", "Rabatte gesamt in Firmenwährung", "Descuentos totales en moneda de la empresa"}, readOnly),
		amount("hs_presentment_to_portal_currency_dated_exchange_rate", Labels{"Company currency exchange rate", "Taux de change vers la devise de l'entreprise", "Wechselkurs zur Firmenwährung", "Tipo de cambio a la moneda de la empresa"}, readOnly),
		amount("hs_platform_fee", Labels{"Platform fee", "Frais de plateforme", "Plattformgebühr", "Comisión de plataforma"}, readOnly),
		amount("hs_platform_fee_in_portal_currency", Labels{"Platform fee in company currency", "Frais de plateforme en devise de l'entreprise", "Plattformgebühr in Firmenwährung", "Comisión de plataforma en moneda de la empresa"}, readOnly),
		amount("hs_platform_fee_in_settlement_currency", Labels{"Platform fee in settlement currency", "Frais de plateforme en devise de règlement", "Plattformgebühr in Abrechnungswährung", "Comisión de plataforma en moneda de liquidación"}, readOnly),
		prop("hs_payment_method_type", Enumeration, Labels{"Payment method", "Moyen de paiement", "Zahlungsmethode", "Método de pago"},
			options([]string{"card", "ach", "cash", "check", "wire_transfer", "other", "sepa", "bacs", "pads"},
				Labels{"Card", "Carte", "Karte", "Tarjeta"}, Labels{"ACH", "ACH", "ACH", "ACH"}, Labels{"Cash", "Espèces", "Bargeld", "Efectivo"},
				Labels{"Check", "Chèque", "Scheck", "Cheque"}, Labels{"Wire transfer", "Virement", "Überweisung", "Transferencia"},
				Labels{"Other", "Autre", "Andere", "Otro"}, Labels{"SEPA Direct Debit", "Prélèvement SEPA", "SEPA-Lastschrift", "Adeudo directo SEPA"},
				Labels{"BACS Direct Debit", "Prélèvement BACS", "BACS-Lastschrift", "Adeudo directo BACS"},
				Labels{"Pre-authorized debit", "Débit préautorisé", "Vorautorisierte Lastschrift", "Débito preautorizado"}), indexed),
		prop("hs_payment_method", String, Labels{"Payment method details", "Détails du moyen de paiement", "Details der Zahlungsmethode", "Detalles del método de pago"}, readOnly),
		prop("hs_payment_method_bank_or_issuer", String, Labels{"Bank or issuer", "Banque ou émetteur", "Bank oder Aussteller", "Banco o emisor"}),
		prop("hs_payment_method_last_4", String, Labels{"Last 4 digits", "4 derniers chiffres", "Letzte 4 Ziffern", "Últimos 4 dígitos"}),
		prop("hs_digital_wallet_type", Enumeration, Labels{"Digital wallet", "Portefeuille numérique", "Digitale Geldbörse", "Monedero digital"},
			options([]string{"apple_pay", "google_pay", "amex_express_checkout", "link", "masterpass", "samsung_pay", "visa_checkout"}), readOnly),
		prop("hs_processor_type", Enumeration, Labels{"Processor", "Processeur", "Zahlungsabwickler", "Procesador"},
			options([]string{"hs_payments", "byo_stripe", "none", "quickbooks", "xero"},
				Labels{"Settle payments", "Paiements Settle", "Settle-Zahlungen", "Pagos de Settle"}, Labels{"Stripe", "Stripe", "Stripe", "Stripe"},
				Labels{"None (recorded manually)", "Aucun (enregistré manuellement)", "Keiner (manuell erfasst)", "Ninguno (registrado manualmente)"},
				Labels{"QuickBooks", "QuickBooks", "QuickBooks", "QuickBooks"}, Labels{"Xero", "Xero", "Xero", "Xero"}), indexed),
		prop("hs_payment_id", String, Labels{"Payment ID", "ID du paiement", "Zahlungs-ID", "ID del pago"}, readOnly, indexed),
		prop("hs_payment_source_app", Enumeration, Labels{"Source", "Source", "Quelle", "Origen"},
			options([]string{"SALES_CHECKOUT", "QUOTE", "INVOICE", "MIGRATION", "SUBSCRIPTION"},
				Labels{"Payment link", "Lien de paiement", "Zahlungslink", "Enlace de pago"}, Labels{"Quote", "Devis", "Angebot", "Presupuesto"},
				Labels{"Invoice", "Facture", "Rechnung", "Factura"}, Labels{"Import", "Import", "Import", "Importación"},
				Labels{"Subscription", "Abonnement", "Abonnement", "Suscripción"}), readOnly, indexed),
		prop("hs_payment_source_id", String, Labels{"Source ID", "ID de la source", "Quell-ID", "ID del origen"}, readOnly, indexed),
		prop("hs_payment_source_name", String, Labels{"Source name", "Nom de la source", "Name der Quelle", "Nombre del origen"}, readOnly),
		prop("hs_payment_source_url", String, Labels{"Source URL", "URL de la source", "Quell-URL", "URL del origen"}, readOnly),
		prop("hs_payment_type", Enumeration, Labels{"Payment type", "Type de paiement", "Zahlungsart", "Tipo de pago"},
			options([]string{"one_time_or_initial", "recurring"}, Labels{"One-time or initial", "Unique ou initial", "Einmalig oder erste Zahlung", "Único o inicial"},
				Labels{"Recurring", "Récurrent", "Wiederkehrend", "Recurrente"}), readOnly),
		prop("hs_payment_creation_method", String, Labels{"Creation method", "Méthode de création", "Erstellungsmethode", "Método de creación"}, readOnly),
		prop("hs_processed_date", Datetime, Labels{"Processed date", "Date de traitement", "Verarbeitungsdatum", "Fecha de procesamiento"}, readOnly),
		prop("hs_payout_date", Datetime, Labels{"Payout date", "Date de versement", "Auszahlungsdatum", "Fecha de pago al comercio"}, indexed),
		prop("hs_reference_number", String, Labels{"Reference number", "Numéro de référence", "Referenznummer", "Número de referencia"}),
		prop("hs_internal_comment", String, Labels{"Internal comment", "Commentaire interne", "Interner Kommentar", "Comentario interno"}, fieldType("textarea")),
		prop("hs_has_associated_invoice", Bool, Labels{"Has an invoice", "A une facture", "Hat eine Rechnung", "Tiene factura"}, readOnly),
		prop("hs_number_of_associated_invoices", Number, Labels{"Number of invoices", "Nombre de factures", "Anzahl der Rechnungen", "Número de facturas"}, readOnly),
		prop("hs_dispute_status", Enumeration, Labels{"Dispute status", "Statut du litige", "Status der Anfechtung", "Estado de la disputa"},
			options([]string{"needs_response", "under_review", "won", "lost"}), readOnly, indexed),
		prop("hs_dispute_reason", String, Labels{"Dispute reason", "Motif du litige", "Grund der Anfechtung", "Motivo de la disputa"}, readOnly),
		amount("hs_dispute_amount", Labels{"Dispute amount", "Montant contesté", "Angefochtener Betrag", "Importe disputado"}, readOnly),
		prop("hs_dispute_created_date", Datetime, Labels{"Dispute created date", "Date d'ouverture du litige", "Datum der Anfechtung", "Fecha de la disputa"}, readOnly, indexed),
		prop("hs_dispute_response_deadline", Datetime, Labels{"Response deadline", "Date limite de réponse", "Antwortfrist", "Plazo de respuesta"}, readOnly),
		prop("hs_dispute_closed_date", Datetime, Labels{"Dispute closed date", "Date de clôture du litige", "Abschlussdatum der Anfechtung", "Fecha de cierre de la disputa"}, readOnly),
	}
	props = append(props, paymentAddresses()...)
	return &ObjectType{
		Name: "commerce_payments", ID: "0-101", Singular: "commerce_payment",
		Aliases: []string{"payments", "commerce_payment", "COMMERCE_PAYMENT"}, Table: "crm_payments", Properties: props,
		Defaults: []string{PropCreateDate, PropLastModified, PropObjectID},
		Display:  "hs_customer_email",
		Label:    Labels{"Payment", "Paiement", "Zahlung", "Pago"}, PluralLabel: Labels{"Payments", "Paiements", "Zahlungen", "Pagos"},
	}
}

func paymentAddresses() []Property {
	var out []Property
	parts := []struct {
		suffix string
		label  Labels
	}{
		{"city", Labels{"city", "ville", "Stadt", "ciudad"}}, {"country", Labels{"country", "pays", "Land", "país"}},
		{"line_1", Labels{"line 1", "ligne 1", "Zeile 1", "línea 1"}}, {"line_2", Labels{"line 2", "ligne 2", "Zeile 2", "línea 2"}},
		{"state", Labels{"state", "région", "Bundesland", "estado"}}, {"zip", Labels{"postal code", "code postal", "Postleitzahl", "código postal"}},
	}
	for _, kind := range []struct {
		name   string
		prefix Labels
	}{
		{"billing", Labels{"Billing address", "Adresse de facturation", "Rechnungsadresse", "Dirección de facturación"}},
		{"shipping", Labels{"Shipping address", "Adresse de livraison", "Lieferadresse", "Dirección de envío"}},
	} {
		for _, p := range parts {
			l := Labels{kind.prefix.En + " " + p.label.En, kind.prefix.Fr + " : " + p.label.Fr,
				kind.prefix.De + " " + p.label.De, kind.prefix.Es + ": " + p.label.Es}
			out = append(out, prop("hs_"+kind.name+"_address_"+p.suffix, String, l, group("address")))
		}
	}
	return append(out, prop("hs_shipping_ship_to_name", String,
		Labels{"Ship to name", "Nom du destinataire", "Name des Empfängers", "Nombre del destinatario"}, group("address")))
}
