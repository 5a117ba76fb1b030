// Package docs embeds conclint's documentation pages, for "conclint -explain NAME".
package docs

import "embed"

// Analyzers holds one page per analyzer, analyzers/<name>.md.
//
//go:embed analyzers/*.md
var Analyzers embed.FS
