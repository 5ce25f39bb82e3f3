package apptest

import (
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// contract checks answers against an OpenAPI document.
type contract struct {
	mu sync.Mutex
	v  validator.Validator
}

func newContract(doc []byte) (*contract, error) {
	d, err := libopenapi.NewDocument(doc)
	if err != nil {
		return nil, err
	}
	v, errs := validator.NewValidator(d)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &contract{v: v}, nil
}

// validate returns what is wrong with res as an answer to req.
func (c *contract) validate(req *http.Request, res *http.Response, body []byte) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	res = cloneResponse(res, body)
	res.Request = req
	ok, errs := c.v.ValidateHttpResponse(req, res)
	if ok {
		return nil
	}
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		detail := e.Reason
		for _, s := range e.SchemaValidationErrors {
			detail += fmt.Sprintf("; %s: %s", s.FieldPath, s.Reason)
		}
		out = append(out, e.Message+": "+detail)
	}
	return out
}
