package api

import (
	"cmp"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// OpenAPI returns the OpenAPI 3.1 document of the route table.
func (a *API) OpenAPI() []byte {
	g := &schemaGen{components: map[string]any{}}
	paths := map[string]map[string]any{}
	for _, rt := range a.routes {
		if paths[rt.Path] == nil {
			paths[rt.Path] = map[string]any{}
		}
		paths[rt.Path][strings.ToLower(rt.Method)] = g.operation(rt)
	}
	g.components["ErrorBody"] = g.schema(reflect.TypeOf(ErrorBody{}))
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Settle API", "version": a.deps.Version,
			"description": "Settle's JSON API: the CRM-shaped object API and the /settle/v1 actions. Amounts under /settle/v1 are integers in minor units."},
		"paths": paths,
		"components": map[string]any{
			"schemas": g.components,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer",
				"description": "An API token (stl_…) from the dashboard or `settle token create`."}},
		},
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	return b
}

var pathParam = regexp.MustCompile(`\{([a-zA-Z_]+)\}`)

func (g *schemaGen) operation(rt Route) map[string]any {
	op := map[string]any{
		"operationId": operationID(rt),
		"summary":     rt.Summary,
		"tags":        []string{rt.Tag},
		"responses":   g.responses(rt),
	}
	if rt.Access == Public || rt.Access == Buyer {
		op["security"] = []any{}
	} else {
		op["security"] = []any{map[string]any{"bearer": []string{}}}
	}
	if rt.Scope != "" {
		op["x-settle-scope"] = string(rt.Scope)
	}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true,
			"schema": map[string]any{"type": "string"}})
	}
	if rt.Method != http.MethodGet && rt.Method != http.MethodHead {
		params = append(params, map[string]any{"name": "Idempotency-Key", "in": "header", "required": false,
			"description": "Replays of a write with the same key return the first answer.",
			"schema":      map[string]any{"type": "string", "maxLength": maxIdempotencyKey}})
	}
	if params != nil {
		op["parameters"] = params
	}
	if rt.Request != nil {
		media := cmp.Or(rt.RequestMedia, "application/json")
		op["requestBody"] = map[string]any{"required": !rt.OptionalBody, "content": map[string]any{
			media: map[string]any{"schema": g.ref(reflect.TypeOf(rt.Request))}}}
	}
	return op
}

func (g *schemaGen) responses(rt Route) map[string]any {
	status := http.StatusText(rt.Status)
	ok := map[string]any{"description": status}
	switch {
	case rt.Raw != "":
		ok["content"] = map[string]any{rt.Raw: rawMedia(rt.Raw)}
	case rt.Response != nil:
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.ref(reflect.TypeOf(rt.Response))}}
	}
	errorResponse := map[string]any{"description": "An error; the body says what and why.",
		"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/ErrorBody"}}}}
	out := map[string]any{strconv.Itoa(rt.Status): ok, "default": errorResponse}
	if rt.Partial {
		partial := map[string]any{"description": "Some inputs failed; errors lists them"}
		partial["content"] = ok["content"]
		out["207"] = partial
	}
	if rt.Path == "/readyz" {
		out["503"] = map[string]any{"description": "Not ready", "content": map[string]any{
			"application/json": map[string]any{"schema": g.ref(reflect.TypeOf(Health{}))}}}
	}
	return out
}

// rawMedia describes a raw answer of contentType: text has a string schema; bytes that are
// not text (a PDF) have none, which is how OpenAPI 3.1 describes a binary body.
func rawMedia(contentType string) map[string]any {
	if strings.HasPrefix(contentType, "text/") || strings.HasSuffix(contentType, "json") {
		return map[string]any{"schema": map[string]any{"type": "string"}}
	}
	return map[string]any{}
}

func operationID(rt Route) string {
	name := strings.ToLower(rt.Method)
	for _, part := range strings.Split(strings.Trim(rt.Path, "/"), "/") {
		part = strings.NewReplacer("{", "", "}", "", "-", "_", ".", "_").Replace(part)
		for _, word := range strings.Split(part, "_") {
			if word != "" {
				name += strings.ToUpper(word[:1]) + word[1:]
			}
		}
	}
	return name
}

// schemaGen turns Go types into JSON Schema (OpenAPI 3.1 dialect). Named struct types become
// components; `omitempty` fields are optional, the others required; pointers are nullable.
type schemaGen struct {
	components map[string]any
}

var timeType = reflect.TypeOf(time.Time{})

func (g *schemaGen) ref(t reflect.Type) map[string]any {
	if t.Kind() == reflect.Struct && t != timeType && t.Name() != "" {
		name := componentName(t)
		if _, done := g.components[name]; !done {
			g.components[name] = nil // reserve, for recursive types
			g.components[name] = g.schema(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return g.schema(t)
}

func componentName(t reflect.Type) string {
	name := t.Name()
	if i := strings.Index(name, "["); i >= 0 { // list[api.UserJSON] → UserJSONList
		inner := name[i+1 : len(name)-1]
		inner = inner[strings.LastIndex(inner, ".")+1:]
		name = inner + strings.ToUpper(name[:1]) + name[1:i]
	}
	return name
}

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Pointer:
		return nullable(g.ref(t.Elem()))
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.ref(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.ref(t.Elem())}
	case reflect.Struct:
		return g.object(t)
	}
	return map[string]any{}
}

func nullable(s map[string]any) map[string]any {
	if typ, ok := s["type"].(string); ok && len(s) <= 2 {
		out := map[string]any{}
		for k, v := range s {
			out[k] = v
		}
		out["type"] = []string{typ, "null"}
		return out
	}
	return map[string]any{"oneOf": []any{s, map[string]any{"type": "null"}}}
}

func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	required := []string{}
	g.fields(t, props, &required)
	out := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

func (g *schemaGen) fields(t reflect.Type, props map[string]any, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			g.fields(f.Type, props, required)
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		s := g.ref(f.Type)
		if enum := f.Tag.Get("enum"); enum != "" {
			s = map[string]any{"type": "string", "enum": strings.Split(enum, ",")}
		}
		props[name] = s
		if !strings.Contains(opts, "omitempty") {
			*required = append(*required, name)
		}
	}
}
