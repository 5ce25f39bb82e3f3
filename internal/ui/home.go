package ui

import (
	"net/http"
)

// home is the overview: the account at a glance and where to start.
func (u *UI) home(w http.ResponseWriter, r *http.Request, v *visit) error {
	return u.render(w, r, v, view{name: "home", Title: "home.title"})
}

// sectionData names the section an empty page stands for.
type sectionData struct {
	Key string
}

// sectionPage answers a section whose records come in a later version of Settle: it says,
// in the visit's language, that there are none yet.
func (u *UI) sectionPage(n navItem) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		return u.render(w, r, v, view{name: "section", Title: "nav." + n.Key, Section: n.Path,
			Data: sectionData{Key: n.Key}})
	}
}
