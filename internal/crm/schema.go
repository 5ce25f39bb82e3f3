package crm

// builtinTypes returns Settle's object types with their built-in properties. Property names
// are the CRM's own, so existing clients and habits carry over.
func builtinTypes() []*ObjectType {
	return []*ObjectType{contactsType(), companiesType(), dealsType(), productsType(), lineItemsType(),
		quotesType(), invoicesType(), subscriptionsType(), paymentsType(), tasksType()}
}

// prop builds a built-in property.
func prop(name string, t Type, label Labels, opts ...func(*Property)) Property {
	p := Property{Name: name, Type: t, Label: label}
	for _, o := range opts {
		o(&p)
	}
	return p
}

func readOnly(p *Property) { p.ReadOnly = true }
func unique(p *Property)   { p.Unique = true; p.Indexed = true }
func indexed(p *Property)  { p.Indexed = true }

func group(g string) func(*Property) { return func(p *Property) { p.Group = g } }

func format(f string) func(*Property) { return func(p *Property) { p.Format = f } }

func fieldType(f string) func(*Property) { return func(p *Property) { p.FieldType = f } }

// options sets the options of an enumeration; labels come in the same order as values.
func options(values []string, labels ...Labels) func(*Property) {
	return func(p *Property) {
		for i, v := range values {
			l := Labels{En: v}
			if i < len(labels) {
				l = labels[i]
			}
			p.Options = append(p.Options, Option{Value: v, Label: l, DisplayOrder: i})
		}
	}
}

// Shared enumerations.
var (
	languageValues = []string{"en", "fr", "de", "es", "it", "nl", "pt", "ja"}
	languageLabels = []Labels{
		{"English", "Anglais", "Englisch", "Inglés"}, {"French", "Français", "Französisch", "Francés"},
		{"German", "Allemand", "Deutsch", "Alemán"}, {"Spanish", "Espagnol", "Spanisch", "Español"},
		{"Italian", "Italien", "Italienisch", "Italiano"}, {"Dutch", "Néerlandais", "Niederländisch", "Neerlandés"},
		{"Portuguese", "Portugais", "Portugiesisch", "Portugués"}, {"Japanese", "Japonais", "Japanisch", "Japonés"},
	}
	frequencyValues = []string{"weekly", "biweekly", "monthly", "quarterly", "per_six_months", "annually",
		"per_two_years", "per_three_years"}
	frequencyLabels = []Labels{
		{"Weekly", "Hebdomadaire", "Wöchentlich", "Semanal"}, {"Every two weeks", "Toutes les deux semaines", "Alle zwei Wochen", "Cada dos semanas"},
		{"Monthly", "Mensuelle", "Monatlich", "Mensual"}, {"Quarterly", "Trimestrielle", "Vierteljährlich", "Trimestral"},
		{"Every six months", "Semestrielle", "Halbjährlich", "Semestral"}, {"Annually", "Annuelle", "Jährlich", "Anual"},
		{"Every two years", "Tous les deux ans", "Alle zwei Jahre", "Cada dos años"},
		{"Every three years", "Tous les trois ans", "Alle drei Jahre", "Cada tres años"},
	}
)

// address returns the usual postal address properties.
func address() []Property {
	return []Property{
		prop("address", String, Labels{"Street address", "Adresse", "Straße", "Dirección"}, group("address")),
		prop("city", String, Labels{"City", "Ville", "Stadt", "Ciudad"}, group("address")),
		prop("state", String, Labels{"State/Region", "État/Région", "Bundesland/Region", "Estado/Región"}, group("address")),
		prop("zip", String, Labels{"Postal code", "Code postal", "Postleitzahl", "Código postal"}, group("address")),
		prop("country", String, Labels{"Country/Region", "Pays/Région", "Land/Region", "País/Región"}, group("address"), indexed),
	}
}
