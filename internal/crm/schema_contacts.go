package crm

func contactsType() *ObjectType {
	props := []Property{
		prop("email", String, Labels{"Email", "E-mail", "E-Mail", "Correo electrónico"}, unique, format("email")),
		prop("firstname", String, Labels{"First name", "Prénom", "Vorname", "Nombre"}),
		prop("lastname", String, Labels{"Last name", "Nom", "Nachname", "Apellidos"}, indexed),
		prop("phone", String, Labels{"Phone number", "Numéro de téléphone", "Telefonnummer", "Número de teléfono"}, fieldType("phonenumber")),
		prop("mobilephone", String, Labels{"Mobile phone number", "Téléphone mobile", "Mobilnummer", "Teléfono móvil"}, fieldType("phonenumber")),
		prop("company", String, Labels{"Company name", "Nom de l'entreprise", "Firmenname", "Nombre de la empresa"}),
		prop("jobtitle", String, Labels{"Job title", "Intitulé du poste", "Berufsbezeichnung", "Cargo"}),
		prop("website", String, Labels{"Website URL", "Site web", "Website", "Sitio web"}),
		prop("hs_language", Enumeration, Labels{"Preferred language", "Langue préférée", "Bevorzugte Sprache", "Idioma preferido"},
			options(languageValues, languageLabels...), indexed),
		prop("hs_marketable_status", Bool, Labels{"Marketing contact status", "Statut de contact marketing", "Marketingkontakt-Status", "Estado de contacto de marketing"}, indexed),
		prop("lifecyclestage", Enumeration, Labels{"Lifecycle stage", "Phase du cycle de vie", "Lebenszyklusphase", "Etapa del ciclo de vida"},
			options([]string{"subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"},
				Labels{"Subscriber", "Abonné", "Abonnent", "Suscriptor"}, Labels{"Lead", "Lead", "Lead", "Lead"},
				Labels{"Marketing qualified lead", "Lead marketing", "Marketingqualifizierter Lead", "Lead cualificado para marketing"},
				Labels{"Sales qualified lead", "Lead qualifié pour la vente", "Vertriebsqualifizierter Lead", "Lead cualificado para ventas"},
				Labels{"Opportunity", "Opportunité", "Verkaufschance", "Oportunidad"}, Labels{"Customer", "Client", "Kunde", "Cliente"},
				Labels{"Evangelist", "Ambassadeur", "Fürsprecher", "Evangelizador"}, Labels{"Other", "Autre", "Andere", "Otro"}), indexed),
	}
	props = append(props, address()...)
	return &ObjectType{
		Name: "contacts", ID: "0-1", Singular: "contact", Table: "crm_contacts", Properties: props,
		Defaults: []string{"firstname", "lastname", "email", PropCreateDateOld, PropLastModifiedOd, PropObjectID},
		Display:  "email",
		Label:    Labels{"Contact", "Contact", "Kontakt", "Contacto"}, PluralLabel: Labels{"Contacts", "Contacts", "Kontakte", "Contactos"},
	}
}

func companiesType() *ObjectType {
	props := []Property{
		prop("name", String, Labels{"Company name", "Nom de l'entreprise", "Firmenname", "Nombre de la empresa"}, indexed),
		prop("domain", String, Labels{"Company domain name", "Nom de domaine", "Domainname", "Dominio de la empresa"}, indexed),
		prop("phone", String, Labels{"Phone number", "Numéro de téléphone", "Telefonnummer", "Número de teléfono"}, fieldType("phonenumber")),
		prop("industry", String, Labels{"Industry", "Secteur d'activité", "Branche", "Sector"}),
		prop("numberofemployees", Number, Labels{"Number of employees", "Nombre d'employés", "Anzahl der Mitarbeiter", "Número de empleados"}),
		prop("annualrevenue", Number, Labels{"Annual revenue", "Chiffre d'affaires annuel", "Jahresumsatz", "Ingresos anuales"}),
		prop("description", String, Labels{"Description", "Description", "Beschreibung", "Descripción"}, fieldType("textarea")),
		prop("website", String, Labels{"Website URL", "Site web", "Website", "Sitio web"}),
	}
	props = append(props, address()...)
	return &ObjectType{
		Name: "companies", ID: "0-2", Singular: "company", Table: "crm_companies", Properties: props,
		Defaults: []string{"name", "domain", PropCreateDateOld, PropLastModified, PropObjectID},
		Display:  "name",
		Label:    Labels{"Company", "Entreprise", "Unternehmen", "Empresa"}, PluralLabel: Labels{"Companies", "Entreprises", "Unternehmen", "Empresas"},
	}
}

func dealsType() *ObjectType {
	stages := []string{"appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin",
		"contractsent", "closedwon", "closedlost"}
	return &ObjectType{
		Name: "deals", ID: "0-3", Singular: "deal", Table: "crm_deals",
		Properties: []Property{
			prop("dealname", String, Labels{"Deal name", "Nom de la transaction", "Name des Deals", "Nombre del negocio"}, indexed),
			prop("amount", Number, Labels{"Amount", "Montant", "Betrag", "Importe"}, indexed),
			prop("deal_currency_code", String, Labels{"Currency", "Devise", "Währung", "Moneda"}, format("currency")),
			prop("dealstage", Enumeration, Labels{"Deal stage", "Phase de la transaction", "Deal-Phase", "Etapa del negocio"},
				options(stages, Labels{"Appointment scheduled", "Rendez-vous planifié", "Termin vereinbart", "Cita programada"},
					Labels{"Qualified to buy", "Qualifié pour l'achat", "Kaufbereit", "Cualificado para comprar"},
					Labels{"Presentation scheduled", "Présentation planifiée", "Präsentation geplant", "Presentación programada"},
					Labels{"Decision maker bought-in", "Décideur convaincu", "Entscheider überzeugt", "Responsable de decisiones convencido"},
					Labels{"Contract sent", "Contrat envoyé", "Vertrag gesendet", "Contrato enviado"},
					Labels{"Closed won", "Conclue gagnée", "Gewonnen", "Cerrado ganado"},
					Labels{"Closed lost", "Conclue perdue", "Verloren", "Cerrado perdido"}), indexed),
			prop("pipeline", Enumeration, Labels{"Pipeline", "Pipeline", "Pipeline", "Pipeline"},
				options([]string{"default"}, Labels{"Sales pipeline", "Pipeline des ventes", "Vertriebspipeline", "Pipeline de ventas"})),
			prop("closedate", Datetime, Labels{"Close date", "Date de fermeture", "Abschlussdatum", "Fecha de cierre"}, indexed),
			prop("dealtype", Enumeration, Labels{"Deal type", "Type de transaction", "Deal-Typ", "Tipo de negocio"},
				options([]string{"newbusiness", "existingbusiness"}, Labels{"New business", "Nouvelle affaire", "Neugeschäft", "Nuevo negocio"},
					Labels{"Existing business", "Affaire existante", "Bestandsgeschäft", "Negocio existente"})),
			prop("description", String, Labels{"Deal description", "Description de la transaction", "Deal-Beschreibung", "Descripción del negocio"}, fieldType("textarea")),
			prop("hs_priority", Enumeration, Labels{"Priority", "Priorité", "Priorität", "Prioridad"},
				options([]string{"low", "medium", "high"}, Labels{"Low", "Faible", "Niedrig", "Baja"},
					Labels{"Medium", "Moyenne", "Mittel", "Media"}, Labels{"High", "Élevée", "Hoch", "Alta"})),
		},
		Defaults: []string{"dealname", "amount", "dealstage", "pipeline", "closedate", PropCreateDateOld, PropLastModified, PropObjectID},
		Display:  "dealname",
		Label:    Labels{"Deal", "Transaction", "Deal", "Negocio"}, PluralLabel: Labels{"Deals", "Transactions", "Deals", "Negocios"},
	}
}

func tasksType() *ObjectType {
	return &ObjectType{
		Name: "tasks", ID: "0-27", Singular: "task", Table: "crm_tasks",
		Properties: []Property{
			prop("hs_task_subject", String, Labels{"Task title", "Titre de la tâche", "Aufgabentitel", "Título de la tarea"}),
			prop("hs_task_body", String, Labels{"Notes", "Notes", "Notizen", "Notas"}, fieldType("textarea")),
			prop("hs_task_status", Enumeration, Labels{"Task status", "Statut de la tâche", "Aufgabenstatus", "Estado de la tarea"},
				options([]string{"NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"},
					Labels{"Not started", "Non commencée", "Nicht begonnen", "No iniciada"}, Labels{"In progress", "En cours", "In Bearbeitung", "En curso"},
					Labels{"Waiting", "En attente", "Wartend", "En espera"}, Labels{"Completed", "Terminée", "Erledigt", "Completada"},
					Labels{"Deferred", "Reportée", "Zurückgestellt", "Aplazada"}), indexed),
			prop("hs_task_priority", Enumeration, Labels{"Priority", "Priorité", "Priorität", "Prioridad"},
				options([]string{"LOW", "MEDIUM", "HIGH"}, Labels{"Low", "Faible", "Niedrig", "Baja"},
					Labels{"Medium", "Moyenne", "Mittel", "Media"}, Labels{"High", "Élevée", "Hoch", "Alta"})),
			prop("hs_task_type", Enumeration, Labels{"Task type", "Type de tâche", "Aufgabentyp", "Tipo de tarea"},
				options([]string{"TODO", "EMAIL", "CALL"}, Labels{"To-do", "À faire", "To-do", "Pendiente"},
					Labels{"Email", "E-mail", "E-Mail", "Correo"}, Labels{"Call", "Appel", "Anruf", "Llamada"})),
			prop("hs_timestamp", Datetime, Labels{"Due date", "Date d'échéance", "Fälligkeitsdatum", "Fecha de vencimiento"}, indexed),
		},
		Defaults: []string{"hs_task_subject", "hs_task_status", "hs_timestamp", PropCreateDate, PropLastModified, PropObjectID},
		Display:  "hs_task_subject",
		Label:    Labels{"Task", "Tâche", "Aufgabe", "Tarea"}, PluralLabel: Labels{"Tasks", "Tâches", "Aufgaben", "Tareas"},
	}
}
