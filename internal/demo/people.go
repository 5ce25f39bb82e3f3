package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/settlehq/settle/internal/crm"
)

// source is how the demo's own records are written.
var source = crm.Source{Type: "INTEGRATION", ID: "settle-demo"}

// buyer is someone who pays. Buyers with a company exist before their first payment, as a
// contact whose primary company is that company; the others become contacts when they pay.
type buyer struct {
	email, first, last, language string
	known                        bool
}

var (
	firstNames = []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Linus",
		"Hedy", "Claude", "Radia", "Tim", "Sophie", "Dennis", "Katherine", "John", "Mary", "Niklaus", "Anita", "Bjarne",
		"Jean", "Lucie", "Mathieu", "Chloé", "Jürgen", "Lena", "Carmen", "Diego"}
	lastNames = []string{"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton",
		"Torvalds", "Lamarr", "Shannon", "Perlman", "Berners-Lee", "Wilson", "Ritchie", "Johnson", "Backus", "Keller",
		"Wirth", "Borg", "Stroustrup", "Dupont", "Martin", "Moreau", "Schmidt", "Weber", "García", "López", "Fernández"}
	companyWords = []string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne",
		"Soylent", "Hooli", "Vandelay", "Pied Piper", "Aperture", "Black Mesa", "Massive Dynamic", "Oscorp", "Monarch"}
	companySuffixes = []string{"Inc.", "LLC", "Ltd", "GmbH", "SAS", "S.L.", "Co.", "Group", "Labs", "Partners"}
	languages       = []string{"en", "en", "en", "en", "fr", "de", "es"}
)

// newTag returns a short random tag that keeps this run's emails apart from an earlier
// run's in the same account.
func newTag() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// people makes the buyers: about one for every three payments, so many buy more than once.
// A fifth of them work for a company of their own and are written now, with it.
func (f *filler) people(ctx context.Context) error {
	n := max(10, f.opts.Payments/3)
	f.buyers = make([]buyer, n)
	for i := range f.buyers {
		first, last := firstNames[f.rng.IntN(len(firstNames))], lastNames[f.rng.IntN(len(lastNames))]
		f.buyers[i] = buyer{first: first, last: last, language: languages[f.rng.IntN(len(languages))],
			email: fmt.Sprintf("%s.%s.%d.%s@demo.example", asciiLower(first), asciiLower(last), i, f.tag)}
	}
	companies := max(2, n/25)
	for start := 0; start < companies; start += 200 {
		err := f.inTx(ctx, func(ctx context.Context) error {
			for c := start; c < min(start+200, companies); c++ {
				if err := f.company(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("companies: %w", err)
		}
	}
	return nil
}

// company writes the cth company and its five employees, each with it as primary company.
func (f *filler) company(ctx context.Context, c int) error {
	name := companyWords[f.rng.IntN(len(companyWords))] + " " + companySuffixes[f.rng.IntN(len(companySuffixes))]
	domain := fmt.Sprintf("%s-%d-%s.example", asciiLower(name), c, f.tag)
	rec, err := f.CRM.Create(ctx, f.account, "companies", crm.Input{Properties: map[string]string{
		"name": name, "domain": domain}}, source)
	if err != nil {
		return err
	}
	f.result.Companies++
	primary := []crm.AssociationInput{{ToType: "companies", ToID: rec.IDString(),
		Types: []crm.AssociationSpec{{Category: crm.CategoryBuiltin, TypeID: 1}}}}
	for i := c * 5; i < min(c*5+5, len(f.buyers)); i++ {
		b := &f.buyers[i]
		b.email, b.known = fmt.Sprintf("%s.%s%d@%s", asciiLower(b.first), asciiLower(b.last), i%5+1, domain), true
		_, err := f.CRM.Create(ctx, f.account, "contacts", crm.Input{Properties: map[string]string{
			"email": b.email, "firstname": b.first, "lastname": b.last, "hs_language": b.language}, Associations: primary}, source)
		if err != nil {
			return err
		}
	}
	return nil
}

// asciiLower keeps the letters and digits of s that fit in an email address, in lower case.
func asciiLower(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
