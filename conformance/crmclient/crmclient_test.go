// Package crmclient_test runs the official CRM Node client (@hubspot/api-client, pinned in
// package-lock.json) against a real Settle on each database engine: every call it makes must
// succeed, and its answers are checked by the Node tests in this folder.
package crmclient_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/testenv"
)

func TestOfficialClient(t *testing.T) {
	node := testenv.NeedCommand(t, "node", "apt-get install nodejs")
	_, err := os.Stat("node_modules/@hubspot/api-client/package.json")
	testenv.Need(t, err == nil, "the CRM client is not installed: run `npm ci` in conformance/crmclient")
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, "--test")
		cmd.Env = append(os.Environ(), "SETTLE_BASE_URL="+a.URL, "SETTLE_TOKEN="+a.Token)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("node --test against Settle on %s: %v\n%s", engine, err, out)
		}
		if testing.Verbose() {
			t.Logf("%s", out)
		}
	})
}
