package money

import (
	"github.com/bojanz/currency"
)

// Format writes a for people reading language (a BCP 47 tag such as "fr" or "en-GB"), with
// the locale's symbol, separators and sign: "$1,234.50" in en, "1 234,50 €" in fr (the
// group separator there is a narrow no-break space, U+202F, and a no-break space, U+00A0,
// stands before the symbol).
func (a Amount) Format(language string) string {
	ca, err := currency.NewAmountFromInt64(a.Minor, a.Currency)
	if err != nil {
		return a.String()
	}
	return currency.NewFormatter(currency.NewLocale(language)).Format(ca)
}
