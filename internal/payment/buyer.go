package payment

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// Buyer is who paid, as they typed it at checkout (SPEC F9): never taken from whoever is
// signed in.
type Buyer struct {
	Email     string
	FirstName string
	LastName  string
	// Language is the buyer's preferred language, kept on a new contact.
	Language string
}

func (b *Buyer) validate(inv *problem.InvalidError) {
	b.Email = strings.TrimSpace(b.Email)
	if a, err := mail.ParseAddress(b.Email); err != nil || a.Address != b.Email {
		inv.Addf("buyer.email", "INVALID_EMAIL", "%q is not an email address.", b.Email)
	}
	if b.Language != "" && !slices.Contains([]string{"en", "fr", "de", "es", "it", "nl", "pt", "ja"}, b.Language) {
		inv.Addf("buyer.language", "INVALID_OPTION", "%q is not a language Settle knows.", b.Language)
	}
	if len(b.FirstName) > 200 || len(b.LastName) > 200 {
		inv.Add("buyer", "INVALID_LENGTH", "Names are at most 200 characters.")
	}
}

// contactFor returns the id of the contact that has the buyer's email, creating it when
// there is none (SPEC F9), and whether it did: a new contact keeps the buyer's names and
// language and is a marketing contact when the account says so (SPEC F10). An existing
// contact is left as it is. prior is the buyer's contact looked up before the transaction
// (lookUpContact), or an empty Lookup.
func (s *Service) contactFor(ctx context.Context, accountID int64, b Buyer, marketing bool, prior crm.Lookup) (int64, bool, error) {
	return s.crm.FindOrCreate(ctx, accountID, "contacts", "email", contactInput(b, marketing), settle(), prior)
}

// contactInput is the contact contactFor finds by the buyer's email or creates.
func contactInput(b Buyer, marketing bool) crm.Input {
	props := map[string]string{"email": b.Email, "firstname": b.FirstName, "lastname": b.LastName,
		"hs_language": b.Language, "hs_marketable_status": fmt.Sprint(marketing), "lifecyclestage": "customer"}
	return crm.Input{Properties: props, System: true}
}

// lookUpContact looks up the buyer's contact for a contactFor of the same buyer to come,
// and prepares its create when there is none (crm.LookUp).
func (s *Service) lookUpContact(ctx context.Context, accountID int64, b Buyer, marketing bool) (crm.Lookup, error) {
	return s.crm.LookUp(ctx, accountID, "contacts", "email", contactInput(b, marketing))
}

// primaryCompany returns the id of the contact's primary company, 0 when it has none.
func (s *Service) primaryCompany(ctx context.Context, accountID, contactID int64) (int64, error) {
	page, err := s.crm.Associations(ctx, accountID, "contacts", idString(contactID), "companies", 0, 100)
	if err != nil {
		return 0, err
	}
	for _, r := range page.Results {
		for _, t := range r.Types {
			if t.Label == "Primary" && t.Category == crm.CategoryBuiltin {
				return r.ID, nil
			}
		}
	}
	return 0, nil
}
