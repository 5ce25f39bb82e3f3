package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// scenario is one kind of load: setup makes what its requests need, request sends the ith.
type scenario interface {
	setup(ctx context.Context, c *client, clients int) error
	request(ctx context.Context, c *client, i int) error
}

// scenarios are the loads `settle bench` knows, by name.
var scenarios = map[string]func() scenario{
	"checkout": func() scenario { return &checkout{} },
	"record":   func() scenario { return &record{} },
	"refund":   func() scenario { return &refund{} },
	"search":   func() scenario { return search{} },
	"mixed":    func() scenario { return &mixed{} },
}

// runTag tells this run's buyers from an earlier run's: each request is a new buyer.
func runTag() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// testCard is the built-in processor's card that always succeeds.
const testCard = `{"type":"card","card":{"number":"4242424242424242","exp_month":12,"exp_year":2040,"cvc":"123"}}`

// currency is the account's default currency, which its links and charges use.
func currency(ctx context.Context, c *client) (string, error) {
	var acct struct {
		DefaultCurrency string `json:"default_currency"`
	}
	err := c.do(ctx, "GET", "/settle/v1/account", "", http.StatusOK, &acct)
	return acct.DefaultCurrency, err
}

// checkout is a buyer paying a one-time payment link with the test card: the charge and
// every side effect of a payment (POST /settle/v1/checkout).
type checkout struct{ tag, slug string }

func (s *checkout) setup(ctx context.Context, c *client, _ int) error {
	cur, err := currency(ctx, c)
	if err != nil {
		return err
	}
	var link struct{ Slug string }
	s.tag = runTag()
	err = c.do(ctx, "POST", "/settle/v1/payment-links", fmt.Sprintf(`{"name":"Load test ticket","line_items":[
		{"name":"Ticket","unit_amount":4999,"currency":%q}]}`, cur), http.StatusCreated, &link)
	s.slug = link.Slug
	return err
}

func (s *checkout) request(ctx context.Context, c *client, i int) error {
	return c.do(ctx, "POST", "/settle/v1/checkout", fmt.Sprintf(`{"source":{"type":"payment_link","id":%q},
		"buyer":{"email":"buyer-%s-%d@bench.example","first_name":"Ada"},"payment_method":%s}`, s.slug, s.tag, i, testCard),
		http.StatusOK, nil)
}

// record creates an integration payment through the CRM API (POST
// /crm/v3/objects/commerce_payments): the buyer's contact found or created, associations,
// timelines and follow-ups, no processor.
type record struct{ tag string }

func (s *record) setup(context.Context, *client, int) error {
	s.tag = runTag()
	return nil
}

// request records payment i; its answer is not decoded, which the scenario has no use for.
func (s *record) request(ctx context.Context, c *client, i int) error {
	return c.do(ctx, "POST", "/crm/v3/objects/commerce_payments", s.body(i), http.StatusCreated, nil)
}

// create records payment i and returns its id.
func (s *record) create(ctx context.Context, c *client, i int) (string, error) {
	var out struct{ ID string }
	err := c.do(ctx, "POST", "/crm/v3/objects/commerce_payments", s.body(i), http.StatusCreated, &out)
	return out.ID, err
}

// body is the request that records payment i.
func (s *record) body(i int) string {
	return fmt.Sprintf(`{"properties":{"hs_initial_amount":"%d.%02d","hs_initiated_date":%q,"hs_latest_status":"succeeded",
		"hs_customer_email":"buyer-%s-%d@bench.example","hs_processor_type":"quickbooks"}}`,
		10+i%490, i%100, time.Now().UTC().Format(time.RFC3339), s.tag, i)
}

// refund refunds one minor unit at a time from a pool of card payments made beforehand,
// four per client, so that concurrent refunds meet on the same payments now and then.
type refund struct{ payments []string }

func (s *refund) setup(ctx context.Context, c *client, clients int) error {
	cur, err := currency(ctx, c)
	if err != nil {
		return err
	}
	tag := runTag()
	s.payments = make([]string, 4*clients)
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(clients)
	for i := range s.payments {
		g.Go(func() error {
			var p struct{ ID string }
			err := c.do(ctx, "POST", "/settle/v1/payments", fmt.Sprintf(`{"amount":1000000,"currency":%q,
				"buyer":{"email":"refunds-%s-%d@bench.example"},"payment_method":%s}`, cur, tag, i, testCard), http.StatusCreated, &p)
			s.payments[i] = p.ID
			return err
		})
	}
	return g.Wait()
}

func (s *refund) request(ctx context.Context, c *client, i int) error {
	return c.do(ctx, "POST", "/settle/v1/payments/"+s.payments[i%len(s.payments)]+"/refunds",
		`{"amount":1,"reason":"requested_by_customer"}`, http.StatusCreated, nil)
}

// search runs CRM searches with filter groups over the account's payments, as a payments
// index filtered by status, amount, method and buyer does.
type search struct{}

func (search) setup(context.Context, *client, int) error { return nil }

func (search) request(ctx context.Context, c *client, i int) error {
	return c.do(ctx, "POST", "/crm/v3/objects/commerce_payments/search", SearchBody(i), http.StatusOK, nil)
}

// SearchBody is the ith request of the search scenario: one of four shapes, with varying
// values. The CRM package's payment search benchmark runs the same ones in process.
func SearchBody(i int) string {
	const props = `"properties":["hs_initial_amount","hs_currency_code","hs_latest_status","hs_customer_email"],"limit":20`
	switch i % 4 {
	case 0:
		return fmt.Sprintf(`{"filterGroups":[{"filters":[{"propertyName":"hs_latest_status","operator":"EQ","value":"succeeded"},
			{"propertyName":"hs_initial_amount","operator":"GTE","value":"%d"}]}],
			"sorts":[{"propertyName":"hs_initiated_date","direction":"DESCENDING"}],%s}`, 10+i%400, props)
	case 1:
		return `{"filterGroups":[{"filters":[{"propertyName":"hs_latest_status","operator":"EQ","value":"refunded"}]},
			{"filters":[{"propertyName":"hs_latest_status","operator":"EQ","value":"partially_refunded"}]}],
			"sorts":[{"propertyName":"hs_initial_amount","direction":"DESCENDING"}],` + props + `}`
	case 2:
		return fmt.Sprintf(`{"filterGroups":[{"filters":[{"propertyName":"hs_payment_method_type","operator":"EQ","value":"card"},
			{"propertyName":"hs_initiated_date","operator":"LT","value":%q}]}],%s}`,
			time.Now().UTC().AddDate(0, 0, -i%365).Format(time.RFC3339), props)
	}
	return fmt.Sprintf(`{"filterGroups":[{"filters":[{"propertyName":"hs_customer_email","operator":"EQ","value":"buyer%d@example.com"}]}],%s}`,
		i%100000, props)
}

// mixed is eight reads (a payment by id, a search) for every two CRM payment records.
type mixed struct {
	record
	mu  sync.Mutex
	ids []string
}

func (s *mixed) setup(ctx context.Context, c *client, clients int) error {
	s.tag = runTag()
	for i := range 2 * clients {
		id, err := s.create(ctx, c, 1<<30+i) // numbered apart from the requests' buyers
		if err != nil {
			return err
		}
		s.ids = append(s.ids, id)
	}
	return nil
}

func (s *mixed) request(ctx context.Context, c *client, i int) error {
	switch n := i % 10; {
	case n < 2:
		id, err := s.create(ctx, c, i)
		if err == nil {
			s.mu.Lock()
			s.ids = append(s.ids, id)
			s.mu.Unlock()
		}
		return err
	case n < 6:
		s.mu.Lock()
		id := s.ids[i%len(s.ids)]
		s.mu.Unlock()
		return c.do(ctx, "GET", "/crm/v3/objects/commerce_payments/"+id+"?properties=hs_initial_amount,hs_latest_status&associations=contacts",
			"", http.StatusOK, nil)
	}
	return c.do(ctx, "POST", "/crm/v3/objects/commerce_payments/search", SearchBody(i), http.StatusOK, nil)
}
