package ui_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestPagesSpeakTheLanguageAskedFor(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		u, _ := a.UserWith(t, "lucia@acme.test")
		lang := "es"
		if _, err := a.Auth.UpdateUser(context.Background(), a.Account.ID, u.ID, auth.UserUpdate{Language: &lang}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name    string
			d       *dashboard
			path    string
			headers []string
			want    []string
		}{
			{name: "?lang=fr", d: signedIn(t, a, a.Admin.Email), path: "/payments?lang=fr",
				want: []string{`<html lang="fr">`, "Paiements", "Paramètres", "Aucun paiement pour l&#39;instant.",
					"Se déconnecter", "Mode test", `aria-current="page">`}},
			{name: "French settings", d: signedIn(t, a, a.Admin.Email), path: "/settings?lang=fr",
				want: []string{"Nom du compte", "Fuseau horaire", "Enregistrer les paramètres"}},
			{name: "the user's language", d: signedIn(t, a, "lucia@acme.test"), path: "/",
				want: []string{`<html lang="es">`, "Resumen", "Cerrar sesión"}},
			{name: "?lang= beats the user's language", d: signedIn(t, a, "lucia@acme.test"), path: "/?lang=de",
				want: []string{`<html lang="de">`, "Übersicht", "Abmelden"}},
			{name: "Accept-Language on the login page", d: newDashboard(t, a), path: "/login",
				headers: []string{"Accept-Language", "de-CH, de;q=0.9, en;q=0.5"},
				want:    []string{`<html lang="de">`, "Anmelden", "Passwort"}},
			{name: "the language menu keeps where to go after signing in", d: newDashboard(t, a), path: "/login?next=%2Fpayouts",
				want: []string{`href="/login?lang=fr&amp;next=%2Fpayouts"`, `name="next" value="/payouts"`}},
			{name: "an unknown language falls back to English", d: newDashboard(t, a), path: "/login?lang=xx",
				headers: []string{"Accept-Language", "ja"}, want: []string{`<html lang="en">`, "Sign in"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, body := tc.d.get(tc.path, tc.headers...)
				wantStatus(t, res, body, http.StatusOK)
				wantContains(t, body, tc.want...)
			})
		}
	})
}

func TestLanguageChoiceIsRemembered(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		d.get("/?lang=fr")
		if got := d.cookie("settle_lang"); got != "fr" {
			t.Fatalf("settle_lang cookie %q, want fr", got)
		}
		_, body := d.get("/settings/api-tokens")
		wantContains(t, body, `<html lang="fr">`, "Jetons d&#39;API", "Créer un jeton")

		res, body := d.submit("/settings/api-tokens", "/settings/api-tokens", nil)
		wantStatus(t, res, body, http.StatusBadRequest)
		wantContains(t, body, "Donnez au jeton un nom que vous reconnaîtrez.", "Choisissez au moins un périmètre.")
	})
}
