// Command settle is Settle's single binary: the server, migrations and the everyday
// administration commands. Everything it does lives in internal/cli.
package main

import (
	"context"
	"os"

	_ "time/tzdata" // account time zones resolve on machines without a zoneinfo database

	"github.com/settlehq/settle/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), os.Args[1:], cli.IO{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Env: os.LookupEnv,
	}))
}
