package app

import "runtime/debug"

// version is set at build time with -ldflags "-X github.com/settlehq/settle/internal/app.version=v1.2.3".
var version = ""

// Version returns the build's version: the one set at link time, else the module version,
// else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
